using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Architecture;

/// <summary>
/// The public surface of the libraries others build on — Checker.Core and Checker.Xunit — pinned in
/// Golden/public-api.txt: one line per public type and per public or protected member, read by reflection. A change
/// to the surface fails here until the golden file is rewritten (<c>CHECKER_UPDATE_GOLDEN=1</c>) and the diff reviewed.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void ThePublicApiOfTheLibrariesIsTheReviewedOne()
    {
        var sb = new StringBuilder();
        foreach (var assembly in new[] { typeof(Checker.Exploration.Explorer).Assembly, typeof(Checker.Xunit.OrderingFile).Assembly })
        {
            sb.Append("assembly ").Append(assembly.GetName().Name).Append('\n');
            sb.Append(Listing(assembly));
        }
        Golden.Verify("public-api.txt", sb.ToString());
    }

    [Fact]
    public void TheListingSeesTypesMembersAndAccessibility()
    {
        // the listing itself: it must show a public member and leave an internal type out, or the golden file pins nothing
        string core = Listing(typeof(Checker.Exploration.Explorer).Assembly);
        Assert.Contains("public static class Checker.Exploration.Explorer\n", core);
        Assert.Contains("  method static OrderingResult Check(CompiledOrdering, String, ExplorationOptions, CancellationToken, IExplorationProgress)\n", core);
        Assert.DoesNotContain("Checker.Model.Machine\n", core);
        Assert.DoesNotContain("class Checker.Model.ModelState", core);
    }

    public static string Listing(Assembly assembly)
    {
        var types = new List<Type>();
        foreach (var t in assembly.GetExportedTypes()) types.Add(t);
        types.Sort((a, b) => string.CompareOrdinal(a.FullName, b.FullName));
        var sb = new StringBuilder();
        foreach (var t in types)
        {
            sb.Append(TypeHeader(t)).Append('\n');
            var lines = new List<string>();
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            if (t.IsEnum)
            {
                foreach (var f in t.GetFields(BindingFlags.Public | BindingFlags.Static))
                    lines.Add($"  {f.Name} = {Convert.ToUInt64(f.GetRawConstantValue())}");
            }
            else
            {
                foreach (var m in t.GetMembers(all))
                    if (Member(m) is { } line) lines.Add("  " + line);
                lines.Sort(StringComparer.Ordinal);
            }
            foreach (var l in lines) sb.Append(l).Append('\n');
        }
        return sb.ToString();
    }

    private static string TypeHeader(Type t)
    {
        string kind = t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? "struct" : "class";
        string mods = t.IsValueType || t.IsInterface ? "" : t.IsAbstract && t.IsSealed ? "static " : t.IsAbstract ? "abstract " : t.IsSealed ? "sealed " : "";
        string name = t.FullName!.Replace('+', '.');
        int tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick] + "<" + string.Join(", ", Array.ConvertAll(t.GetGenericArguments(), a => a.Name)) + ">";
        var bases = new List<string>();
        if (t.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum)) bases.Add(Name(b));
        var interfaces = new List<string>();
        foreach (var i in t.GetInterfaces()) interfaces.Add(Name(i));
        interfaces.Sort(StringComparer.Ordinal);
        bases.AddRange(interfaces);
        return $"public {mods}{kind} {name}" + (bases.Count > 0 ? " : " + string.Join(", ", bases) : "");
    }

    private static bool Visible(MethodBase? m) => m is not null && (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly);

    private static string? Member(MemberInfo m)
    {
        // a record's generated members (Equals, PrintMembers, <Clone>$, EqualityContract) are not its API; written ones are
        if (m.IsDefined(typeof(CompilerGeneratedAttribute)) && m is not PropertyInfo || m.Name == "EqualityContract") return null;
        switch (m)
        {
            case ConstructorInfo c when Visible(c):
                return $"ctor{(c.IsStatic ? " static" : "")}({Parameters(c)})";
            case MethodInfo mi when Visible(mi) && (!mi.IsSpecialName || mi.Name.StartsWith("op_", StringComparison.Ordinal)):
                if (mi.Name.Contains('<')) return null; // the compiler's <Clone>$ of a record
                string generic = mi.IsGenericMethodDefinition ? "<" + string.Join(", ", Array.ConvertAll(mi.GetGenericArguments(), a => a.Name)) + ">" : "";
                return $"method {Modifiers(mi)}{Name(mi.ReturnType, mi.ReturnParameter)} {mi.Name}{generic}({Parameters(mi)})";
            case PropertyInfo p when Visible(p.GetMethod) || Visible(p.SetMethod):
                var accessors = new List<string>();
                if (Visible(p.GetMethod)) accessors.Add("get;");
                if (Visible(p.SetMethod))
                    accessors.Add(Array.IndexOf(p.SetMethod!.ReturnParameter.GetRequiredCustomModifiers(), typeof(IsExternalInit)) >= 0 ? "init;" : "set;");
                var index = p.GetIndexParameters();
                string name = index.Length > 0 ? "this[" + string.Join(", ", Array.ConvertAll(index, i => Name(i.ParameterType))) + "]" : p.Name;
                return $"property {Modifiers((p.GetMethod ?? p.SetMethod)!)}{Name(p.PropertyType)} {name} {{ {string.Join(" ", accessors)} }}";
            case FieldInfo f when f.IsPublic || f.IsFamily:
                string kind = f.IsLiteral ? "const" : f.IsInitOnly ? (f.IsStatic ? "static readonly" : "readonly") : f.IsStatic ? "static" : "field";
                return $"field {kind} {Name(f.FieldType)} {f.Name}" + (f.IsLiteral ? " = " + f.GetRawConstantValue() : "");
            case EventInfo e:
                return $"event {Name(e.EventHandlerType!)} {e.Name}";
            default:
                return null;
        }
    }

    private static string Modifiers(MethodInfo m) =>
        (m.IsFamily ? "protected " : "") + (m.IsStatic ? "static " : "") + (m.IsAbstract ? "abstract " : m.IsVirtual && !m.IsFinal && m.GetBaseDefinition() == m ? "virtual " : "")
        + (m.GetBaseDefinition() != m ? "override " : "");

    private static string Parameters(MethodBase m) =>
        string.Join(", ", Array.ConvertAll(m.GetParameters(), p => (p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : "") + Name(p.ParameterType, p)));

    private static string Name(Type t, ParameterInfo? p = null)
    {
        if (t.IsByRef) return Name(t.GetElementType()!);
        if (t.IsArray) return Name(t.GetElementType()!) + "[]";
        if (Nullable.GetUnderlyingType(t) is { } u) return Name(u) + "?";
        if (t.IsGenericParameter) return t.Name;
        string name = t.IsNested ? Name(t.DeclaringType!) + "." + t.Name : t.Name;
        int tick = name.IndexOf('`');
        if (t.IsGenericType)
        {
            if (tick >= 0) name = name[..tick];
            name += "<" + string.Join(", ", Array.ConvertAll(t.GetGenericArguments(), a => Name(a))) + ">";
        }
        return name;
    }
}
