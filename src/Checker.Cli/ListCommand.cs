using System.CommandLine;
using System.Text;
using Checker.Invariants;
using Checker.Language;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Cli;

/// <summary>
/// <c>checker list [DIR]</c>: what the checker knows — the invariants with their one-line meanings and the
/// kernel rule each encodes (<see cref="Invariant"/>), the release rules by kernel release, arches, SVA driver flavors,
/// shadow modes and ops, and the catalog entries (<c>DIR/*.order</c>, default <c>catalog</c>) with their expectations.
/// Output is plain text, wrapped at 100 columns, and deterministic.
/// </summary>
public static class ListCommand
{
    private const int Width = 100;

    private static readonly (Arch Arch, string Meaning)[] Arches =
    [
        (Arch.X86, "no flush on a pure permission upgrade; 6.6's deferred reclaim flush invalidates secondaries with (0, ~0) when it is queued"),
        (Arch.Arm64, "upgrades flush (ptep_set_access_flags, change_protection rw); 6.6 routes those flushes to the secondaries too"),
    ];

    public static Command Build(CliContext ctx)
    {
        var dir = CliOptions.OptionalPath("DIR", "directory", "catalog", "the catalog directory whose .order files are listed");
        var command = new Command("list", "what the checker knows: invariants, release rules, arches, driver flavors, shadow modes, ops and the catalog's entries")
        {
            dir,
        };
        command.SetAction(parse => Run(parse.GetResult(dir) is { Tokens.Count: > 0 } ? parse.GetValue(dir) : null, ctx.Output, ctx.Error));
        return command;
    }

    private static int Run(string? given, TextWriter output, TextWriter error)
    {
        string dir = given ?? "catalog";
        if (given is not null && !Directory.Exists(dir))
        {
            error.WriteLine($"{dir}:1:1: error: no such directory — name the directory that holds the .order files");
            return ExitCodes.BadInput;
        }
        Write(output, dir);
        return ExitCodes.Ok;
    }

    public static void Write(TextWriter o, string catalog)
    {
        o.WriteLine("invariants (ids for 'expect violation ID…'; when several break at one step, the first listed is the violation)");
        foreach (var inv in Invariant.All)
        {
            o.WriteLine($"  {inv.Name} ({inv.Kind})");
            Wrap(o, "    ", inv.Meaning + ".");
            Wrap(o, "    ", "kernel rule: " + inv.KernelRule + ".");
        }
        o.WriteLine();
        Releases(o);
        o.WriteLine();
        o.WriteLine("arches ('arch A')");
        foreach (var (a, meaning) in Arches) Item(o, Words.Of(a), meaning, a == Arch.X86);
        o.WriteLine();
        o.WriteLine("driver flavors ('secondary sva FLAVOR [keeps-entry-on-fault]': how the driver reads invalidate_range(start, end))");
        foreach (var f in DriverFlavorInfo.All) Item(o, f.Name, $"{f.Arithmetic} ({f.DriverFunction}; {f.Commit})", false);
        o.WriteLine();
        o.WriteLine("shadow modes ('secondary shadow [MODE]')");
        foreach (var m in ShadowModeInfo.All) Item(o, m.Name, $"{m.Protocol} ({m.Source})", m.Mode == ShadowMode.Interval);
        o.WriteLine();
        Ops(o);
        o.WriteLine();
        Catalog(o, catalog);
    }

    /// <summary>The release table (DESIGN §3.7): every rule with the releases where it holds and its commits.</summary>
    private static void Releases(TextWriter o)
    {
        o.WriteLine($"kernel releases ('kernel X.Y': any mainline release from {KernelRelease.Oldest}; default {KernelRelease.Default}; newer than {KernelRelease.NewestKnown} is modelled as {KernelRelease.NewestKnown})");
        o.WriteLine("  release rules: each holds in the releases shown; the model asks them, never the version");
        foreach (var rule in ReleaseRuleInfo.All)
        {
            o.WriteLine($"  {rule.Name} ({rule.Releases}){(rule.AskedByModel ? "" : " [a fact for paths; not asked by the model]")}");
            Wrap(o, "    ", rule.Meaning + ".");
            Wrap(o, "    ", "commits: " + rule.Commits + ".");
        }
    }

    /// <summary>Every op with its arguments (R = a range: 'A B', one page 'P', '~0' or hex addresses) and meaning;
    /// ops of kernel threads first, then those of explicit cpu/device/shadow threads.</summary>
    private static void Ops(TextWriter o)
    {
        o.WriteLine("ops (R = pages 'A B' = [A,B), one page 'P', '~0' or a hex address; 'if COND OP' runs OP when COND holds)");
        foreach (bool environment in new[] { false, true })
        {
            o.WriteLine(environment ? "  in explicit 'thread NAME cpu|device|shadow K' blocks:" : "  in kernel threads:");
            foreach (var op in OpInfo.All)
            {
                if (op.IsEnvironment != environment) continue;
                string only = op.Requires is not { } rule ? "" : $" (only in {ReleaseRuleInfo.Of(rule).Releases}: {ReleaseRuleInfo.Of(rule).Name})";
                Wrap(o, "    ", $"{op.Name}{(op.Code == OpCode.PteFreeTlb ? " P [nobatch]" : Args(op.Shape))}: {op.Meaning}{only}", hanging: "        "); // §7: pte_free_tlb's word
            }
        }
    }

    private static string Args(ArgShape shape) => shape switch
    {
        ArgShape.LockName => " NAME",
        ArgShape.Range => " R",
        ArgShape.Page or ArgShape.EnvPage => " P",
        ArgShape.RangeOptionalRo => " R [ro]",
        ArgShape.RangeProtection => " R ro|rw",
        ArgShape.OptionalRange => " [R]",
        ArgShape.Move => " A B D",
        ArgShape.Wait => " P none|present|readonly|writable",
        _ => "",
    };

    private static void Catalog(TextWriter o, string dir)
    {
        if (!Directory.Exists(dir))
        {
            o.WriteLine($"catalog: no '{dir}' directory here — run from the repository root or pass 'checker list DIR'");
            return;
        }
        var files = Directory.GetFiles(dir, "*.order", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        o.WriteLine($"catalog ({files.Length} orderings in {dir.Replace('\\', '/').TrimEnd('/')}/; 'checker check {dir.Replace('\\', '/').TrimEnd('/')}' checks them all)");
        var rows = new List<(string File, string Kernel, string Expect, string Name)>();
        int fileWidth = 0, expectWidth = 0;
        foreach (var path in files)
        {
            string file = Path.GetRelativePath(dir, path).Replace('\\', '/');
            var parsed = OrderingFiles.Parse(path);
            var row = parsed.Ok
                ? (file, parsed.Ordering!.Kernel.ToString(), parsed.Ordering.ExpectText, parsed.Ordering.Name)
                : (file, "?", "-", $"does not parse ({parsed.Diagnostics.Count} diagnostics; run 'checker validate {path.Replace('\\', '/')}')");
            rows.Add(row);
            fileWidth = Math.Max(fileWidth, file.Length);
            expectWidth = Math.Max(expectWidth, row.Item3.Length);
        }
        foreach (var (file, kernel, expect, name) in rows)
            o.WriteLine($"  {file.PadRight(fileWidth)}  {kernel,-5}  {expect.PadRight(expectWidth)}  {name}");
    }

    private static void Item(TextWriter o, string word, string meaning, bool isDefault)
    {
        o.WriteLine($"  {word}{(isDefault ? " (default)" : "")}");
        Wrap(o, "    ", meaning);
    }

    /// <summary>Writes <paramref name="text"/> in lines of at most <see cref="Width"/> columns.</summary>
    private static void Wrap(TextWriter o, string indent, string text, string? hanging = null)
    {
        var sb = new StringBuilder(indent);
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (sb.Length > indent.Length && sb.Length + 1 + word.Length > Width)
            {
                o.WriteLine(sb.ToString());
                sb.Clear().Append(indent = hanging ?? indent);
            }
            if (sb.Length > indent.Length) sb.Append(' ');
            sb.Append(word);
        }
        if (sb.Length > indent.Length) o.WriteLine(sb.ToString());
    }
}
