using System.Text.RegularExpressions;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Architecture;

/// <summary>
/// Checker.Core is layered, and dependencies point one way: the leaf vocabulary (ops, release rules, flavors,
/// invariant metadata) → the ordering language → the invariants' rules → the model → exploration → reports.
/// <see cref="Text"/> helpers may be used by any layer. Read from the source: every <c>using Checker.X</c>
/// and every qualified <c>Checker.X.</c> name is an edge.
/// </summary>
public sealed partial class LayeringTests
{
    /// <summary>Lowest first. A namespace may depend only on itself, <c>Text</c> and namespaces before it.</summary>
    public static readonly string[] Layers = ["Vocabulary", "Language", "Invariants", "Model", "Exploration", "Reports", "Repair"];

    private const string Utility = "Text";

    [Fact]
    public void CoreHasNoNamespaceCycle()
    {
        var graph = DependencyGraph(CoreSources());
        var cycle = FindCycle(graph);
        Assert.True(cycle is null, "namespace cycle in Checker.Core: " + (cycle is null ? "" : string.Join(" -> ", cycle)));
    }

    [Fact]
    public void EveryCoreDependencyPointsDownTheLayers()
    {
        var graph = DependencyGraph(CoreSources());
        var wrong = new List<string>();
        foreach (var (from, tos) in graph)
        {
            foreach (var to in tos)
                if (!Allowed(from, to)) wrong.Add($"{from} -> {to}");
        }
        Assert.True(wrong.Count == 0, "dependencies against the layering " + string.Join(" < ", Layers) + ": " + string.Join(", ", wrong));
        foreach (var layer in graph.Keys)
            Assert.True(layer == Utility || Array.IndexOf(Layers, layer) >= 0, $"namespace Checker.{layer} is in no layer: add it to LayeringTests.Layers");
    }

    [Fact]
    public void TheCheckFindsACycleWhenOneIsPlanted()
    {
        // The check itself, on a planted edge: the language reaching up into the model.
        var graph = DependencyGraph(CoreSources());
        graph["Language"].Add("Model");
        Assert.NotNull(FindCycle(graph));
        Assert.False(Allowed("Language", "Model"));
    }

    [Fact]
    public void TheEngineReferencesNeitherFsCheckNorXunit()
    {
        var references = typeof(Checker.Model.Machine).Assembly.GetReferencedAssemblies();
        foreach (var r in references)
            Assert.False(r.Name!.StartsWith("FsCheck", StringComparison.Ordinal) || r.Name.StartsWith("xunit", StringComparison.Ordinal), r.Name);
    }

    [Fact]
    public void TheInvariantCountIsNeverALiteral()
    {
        // per-invariant arrays are sized by the table (Invariant.Count), so adding an invariant touches one table
        string count = Checker.Vocabulary.Invariant.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var literal = new Regex($@"\[{count}\]|<\s*{count}\s*;");
        var offending = new List<string>();
        foreach (var (file, text) in CoreSources())
            foreach (var line in text.Split('\n'))
                if (literal.IsMatch(line)) offending.Add($"{file}: {line.Trim()}");
        Assert.True(offending.Count == 0, "size per-invariant arrays with Invariant.Count:\n" + string.Join("\n", offending));
    }

    internal static bool Allowed(string from, string to)
    {
        if (from == to || to == Utility) return true;
        if (from == Utility) return false;
        int a = Array.IndexOf(Layers, from), b = Array.IndexOf(Layers, to);
        return a >= 0 && b >= 0 && b < a;
    }

    internal static IEnumerable<(string File, string Text)> CoreSources()
    {
        var root = RepositoryFiles.PathOf("src/Checker.Core");
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(root, file);
            if (rel.StartsWith("obj", StringComparison.Ordinal) || rel.StartsWith("bin", StringComparison.Ordinal)) continue;
            yield return (rel, File.ReadAllText(file));
        }
    }

    internal static Dictionary<string, HashSet<string>> DependencyGraph(IEnumerable<(string File, string Text)> sources)
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (file, text) in sources)
        {
            var ns = NamespaceLine().Match(text);
            Assert.True(ns.Success, $"{file}: no file-scoped 'namespace Checker.X;'");
            string from = ns.Groups[1].Value;
            if (!graph.TryGetValue(from, out var edges)) graph[from] = edges = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match m in Reference().Matches(StripComments(text)))
            {
                string to = m.Groups[1].Value;
                if (to != from && to != "Properties" && to != "Cli") edges.Add(to);
            }
        }
        return graph;
    }

    internal static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the stack, 2 done
        var stack = new List<string>();
        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            var cycle = Visit(node);
            if (cycle is not null) return cycle;
        }
        return null;

        List<string>? Visit(string node)
        {
            if (state.TryGetValue(node, out int s))
                return s == 1 ? [.. stack.Skip(stack.IndexOf(node)), node] : null;
            state[node] = 1;
            stack.Add(node);
            if (graph.TryGetValue(node, out var edges))
            {
                foreach (var next in edges.Order(StringComparer.Ordinal))
                {
                    var cycle = Visit(next);
                    if (cycle is not null) return cycle;
                }
            }
            stack.RemoveAt(stack.Count - 1);
            state[node] = 2;
            return null;
        }
    }

    private static string StripComments(string text) => Comment().Replace(text, "");

    [GeneratedRegex(@"^namespace Checker\.([A-Za-z]+)[.;]", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"\bChecker\.([A-Z][A-Za-z]*)\b")]
    private static partial Regex Reference();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex Comment();
}
