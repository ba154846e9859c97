using System.Text;
using Checker.Language;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Cli;

/// <summary>
/// The tables of <c>docs/language.md</c> and <c>docs/model.md</c>, rendered as markdown from the data the checker
/// itself uses (<see cref="OpInfo"/>, <see cref="ReleaseRuleInfo"/>, <see cref="Invariant"/>,
/// <see cref="DriverFlavorInfo"/>, <see cref="ShadowModeInfo"/>, <see cref="Words"/>, <see cref="Condition"/>,
/// <see cref="KernelRelease"/>, <see cref="Limits"/>). A doc embeds a table between
/// <c>&lt;!-- generated:NAME:begin --&gt;</c> and <c>&lt;!-- generated:NAME:end --&gt;</c>; <see cref="Rewrite"/>
/// puts the current text there, and a test fails when a committed doc differs from it.
/// </summary>
internal static class DocsTables
{
    /// <summary>Every generated block, by name, in the order the docs use them.</summary>
    public static IReadOnlyList<(string Name, Func<string> Render)> Blocks { get; } =
    [
        ("headers", Headers),
        ("conditions", Conditions),
        ("ops", Ops),
        ("environment-ops", EnvironmentOps),
        ("invariants", Invariants),
        ("releases", Releases),
        ("release-changes", ReleaseChanges),
        ("flavors", Flavors),
        ("flavor-examples", FlavorExamples),
        ("shadow-modes", ShadowModes),
    ];

    public static string Begin(string name) => $"<!-- generated:{name}:begin -->";

    public static string End(string name) => $"<!-- generated:{name}:end -->";

    /// <summary>The text of one block (without its markers).</summary>
    public static string Render(string name)
    {
        foreach (var (n, render) in Blocks)
            if (n == name) return render();
        throw new ArgumentException($"no generated block '{name}'", nameof(name));
    }

    /// <summary><paramref name="doc"/> with every generated block it holds replaced by the current text; the names
    /// of the blocks it holds are added to <paramref name="found"/>. A begin marker without its end, or a marker of an
    /// unknown block, is an error (the doc is the repository's own, so a bad marker is a bug to fix).</summary>
    public static string Rewrite(string doc, ICollection<string>? found = null)
    {
        doc = doc.ReplaceLineEndings("\n");
        var sb = new StringBuilder(doc.Length);
        int at = 0;
        while (true)
        {
            int b = doc.IndexOf("<!-- generated:", at, StringComparison.Ordinal);
            if (b < 0) break;
            int nameStart = b + "<!-- generated:".Length;
            int colon = doc.IndexOf(':', nameStart);
            int lineEnd = doc.IndexOf('\n', b);
            if (colon < 0 || lineEnd < 0) throw new FormatException($"malformed generated marker at offset {b}");
            string name = doc[nameStart..colon];
            if (!doc.AsSpan(colon).StartsWith(":begin", StringComparison.Ordinal))
                throw new FormatException($"'generated:{name}' end marker without a begin at offset {b}");
            string end = End(name);
            int e = doc.IndexOf(end, lineEnd, StringComparison.Ordinal);
            if (e < 0) throw new FormatException($"generated block '{name}' has no end marker '{end}'");
            string text = Render(name);
            found?.Add(name);
            sb.Append(doc, at, b - at).Append(Begin(name)).Append('\n').Append(text);
            if (!text.EndsWith('\n')) sb.Append('\n');
            sb.Append(end);
            at = e + end.Length;
        }
        sb.Append(doc, at, doc.Length - at);
        return sb.ToString();
    }

    private static string Headers()
    {
        var rows = new List<string[]>();
        foreach (var word in Words.Headers)
        {
            var (form, meaning, dflt) = word switch
            {
                "ordering" => ("ordering NAME", "the ordering's name: the rest of the line, quotes optional", "the file name"),
                "kernel" => ("kernel X.Y[.Z]",
                    $"the mainline release modelled, {KernelRelease.Oldest} or later; `.Z` is accepted and printed but stable backports are not modelled; "
                    + $"a release newer than {KernelRelease.NewestKnown} runs as {KernelRelease.NewestKnown}, with a warning",
                    KernelRelease.Default.ToString()),
                "arch" => ("arch " + string.Join("|", Words.Arches), "the architecture whose TLB-flush rules apply", Words.Arches[0]),
                "pages" => ("pages N", $"user pages 0..N-1, each present, writable and mapped to its own frame; N from 1 to {Limits.MaxPages}", "4"),
                "readonly" => ("readonly A B", "pages [A,B) start read-only (also `readonly P`)", "none"),
                "unmapped" => ("unmapped A B", "pages [A,B) start not present (also `unmapped P`)", "none"),
                "cpus" => ("cpus N", $"user CPUs that read and write the pages through their TLBs; N from 0 to {Limits.MaxCpus}", "1"),
                "secondary" => ("secondary sva FLAVOR [keeps-entry-on-fault]<br>secondary shadow [" + string.Join("|", Words.ShadowModes) + "]",
                    $"a secondary MMU: a shared-table (SVA) device with its driver's range arithmetic, or a shadow-table MMU with its fault protocol; repeatable, at most {Limits.MaxSecondaries} lines",
                    "none; shadow mode " + Words.ShadowModes[0]),
                "reuse" => ("reuse on|off", "whether the allocator may hand freed frames to another owner", "on"),
                "environment" => ("environment generated|explicit",
                    "generated: the CPUs, devices, shadows and the allocator act at random; explicit: only the file's threads act", "generated"),
                "expect" => ("expect pass<br>expect violation ID…", "what the author expects the run to find", "none"),
                "source" => ("source TEXT", "where the ordering comes from: functions, files, commits (the rest of the line)", "none"),
                // §7 the page-table tree
                "pagetables" => ("pagetables", "turn the page-table tree on (tables, walk caches, huge PMDs; docs/model.md)", "off"),
                "hugepage" => ("hugepage H", "a PTE table and a huge page span H pages (H divides pages; at most 8 regions)", "pages"),
                "huge" => ("huge A B", "the regions of [A,B) start mapped by huge PMDs", "none"),
                "mm2" => ("mm2 [cpus K] [shared-pmd]", "a second mm, mm 1, laid out as mm 0 with its own PMD table, PTE tables and data frames; 'shared-pmd': its PUD points at mm 0's PMD table instead (hugetlb sharing); 'cpus K': K more CPUs, numbered after mm 0's, run mm 1. Its kernel threads ('thread NAME mm 1') run every op on mm 1, its walkers ('gup_fast mm 1') walk it; devices and shadows stay on mm 0; with §8 dirty data only 'mm2 shared-pmd' and the sharing ops are accepted", "none"), // §7 mm2 (issue 12)
                "kernel_pages" => ("kernel_pages N", "kernel pages k0…k(N-1) under a kernel PMD table (N a multiple of H, at most 16)", "0"),
                "gup_fast" => ("gup_fast [mm 1]", "a lockless GUP-fast walker gupK of mm 0 (mm 1: of the mm2 header's mm; repeatable)", "none"),
                // §8 dirty data (issue 13)
                "file" => ("file A B", "pages [A,B) are MAP_SHARED file pages: the page cache holds one more reference, the PTE starts clean, disk = content; repeatable", "none"),
                "alias" => ("alias Q P", "page Q maps page P's frame instead of its own (a second mapping of one file page); repeatable", "none"),
                "lazyfree" => ("lazyfree A B", "pages [A,B) are anonymous pages whose MADV_FREE has returned: clean, lazy-free, baseline = content; over huge regions (whole ones, no mm2) a lazy-free THP whose huge PMD has a real dirty bit; repeatable", "none"),
                // issue 15: a helper change
                "patch" => ("patch RULE", "model release rule RULE at its next change after the file's release (a backport, or a proposed change of a kernel helper): the rule starts or stops holding; `checker repair` writes it when no edit of the path removes a violation; repeatable, one line per rule", "none"),
                _ => throw new InvalidOperationException($"header '{word}' has no row in DocsTables.Headers: add one"),
            };
            rows.Add([Code(form), meaning, dflt]);
        }
        return Table(["line", "meaning", "default"], rows);
    }

    private static string Conditions()
    {
        var rows = new List<string[]>();
        foreach (var word in Words.Conditions)
        {
            Words.TryCondition(word, out var kind);
            string meaning = kind switch
            {
                ConditionKind.TlbFlushPending => "mm->tlb_flush_pending is non-zero (a gather, mprotect or NUMA hinting has PTE changes not yet flushed)",
                ConditionKind.TlbFlushNested => "mm_tlb_flush_nested(): more than one flush is pending on the mm (tlb_flush_pending > 1)",
                ConditionKind.TlbFlushBatched => "mm->tlb_flush_batched: reclaim deferred a flush of this mm that has not been done",
                ConditionKind.PteNone => "PTE P is not present",
                ConditionKind.PtePresent => "PTE P is present",
                ConditionKind.PteReadonly => "PTE P is present and read-only",
                ConditionKind.PteWritable => "PTE P is present and writable (a PROT_NONE PTE reads as read-only)",
                // §8 dirty data (issue 13)
                ConditionKind.PteDirty => "PTE P is present and dirty",
                ConditionKind.PteProtnone => "PTE P is a NUMA-hinting PROT_NONE PTE",
                ConditionKind.PteAccessible => "pte_accessible(): PTE P is present and not PROT_NONE, or PROT_NONE while tlb_flush_pending > 0",
                ConditionKind.ForceFlush => "this thread's force_flush is set (zap_pte_range cleared a dirty shared PTE, or force_flush)",
                ConditionKind.Unflushed => "this thread changed a PTE it has not flushed from the CPUs since (`if (pages) flush_tlb_range()`)",
                _ => throw new InvalidOperationException($"condition '{word}' has no meaning in DocsTables.Conditions: add one"),
            };
            string form = word + (Condition.TakesPage(kind) ? " P" : "");
            rows.Add([Code(form), meaning, Availability(Condition.Requires(kind))]);
        }
        return Table(["condition", "true when", "releases"], rows);
    }

    private static string Ops() => OpTable(environment: false);

    private static string EnvironmentOps() => OpTable(environment: true);

    private static string OpTable(bool environment)
    {
        var rows = new List<string[]>();
        foreach (var op in OpInfo.All)
        {
            if (op.IsEnvironment != environment) continue;
            string who = op.Role switch
            {
                OpRole.Kernel => "kernel",
                OpRole.Any => "any",
                _ => "cpu, device, shadow",
            };
            string meaning = op.Meaning;
            if (op.Requires is not null && op.MissingInReleaseHint is { } hint) meaning += $" (elsewhere: {hint})";
            var row = new List<string> { Code(op.Name + (op.Code == OpCode.PteFreeTlb ? " P [nobatch]" : Args(op.Shape))), meaning }; // §7
            if (!environment)
            {
                row.Add(who);
                row.Add(op.CommitPoint ? "yes" : "");
                row.Add(Availability(op.Requires));
            }
            rows.Add([.. row]);
        }
        return environment
            ? Table(["action", "meaning"], rows)
            : Table(["op", "meaning", "threads", "commit point", "releases"], rows);
    }

    /// <summary>The arguments of an op as the language writes them (R: a range, P: one page).</summary>
    public static string Args(ArgShape shape) => shape switch
    {
        ArgShape.None => "",
        ArgShape.LockName => " NAME",
        ArgShape.Range => " R",
        ArgShape.Page or ArgShape.EnvPage => " P",
        ArgShape.RangeOptionalRo => " R [ro]",
        ArgShape.RangeProtection => " R ro|rw",
        ArgShape.OptionalRange => " [R]",
        ArgShape.Move => " A B D",
        ArgShape.Wait => " P " + string.Join("|", Words.PteStates),
        // §7 the page-table tree (pte_free_tlb spells its word itself: see Ops)
        ArgShape.PageOptionalWord => " P [ro]",
        ArgShape.PageMove => " P D",
        _ => throw new InvalidOperationException($"argument shape {shape} has no spelling in DocsTables.Args"),
    };

    private static string Availability(ReleaseRule? rule)
    {
        if (rule is not { } r) return "all";
        var info = ReleaseRuleInfo.Of(r);
        return $"{info.Releases} (`{info.Name}`)";
    }

    private static string Invariants()
    {
        var rows = new List<string[]>();
        foreach (var inv in Invariant.All) rows.Add([Code(inv.Name), inv.Kind, inv.Meaning, inv.KernelRule]);
        return Table(["id", "kind", "violated when", "kernel rule"], rows);
    }

    private static string Releases()
    {
        var rows = new List<string[]>();
        foreach (var rule in ReleaseRuleInfo.All)
            rows.Add([Code(rule.Name), rule.Releases, rule.Meaning + (rule.AskedByModel ? "" : " (recorded for readers; the model does not ask it)"),
                rule.Introduced, rule.Removed ?? ""]);
        return Table(["rule", "releases", "meaning", "introduced", "removed"], rows);
    }

    /// <summary>The release table turned around: for each release where some rule starts or stops holding, which.</summary>
    private static string ReleaseChanges()
    {
        var releases = new SortedSet<KernelRelease>();
        foreach (var rule in ReleaseRuleInfo.All)
        {
            if (rule.From != KernelRelease.Oldest) releases.Add(rule.From);
            if (rule.Until is { } u) releases.Add(u);
        }
        var rows = new List<string[]>();
        foreach (var release in releases)
        {
            var starts = new List<string>();
            var stops = new List<string>();
            foreach (var rule in ReleaseRuleInfo.All)
            {
                if (rule.From == release) starts.Add(Code(rule.Name));
                if (rule.Until == release) stops.Add(Code(rule.Name));
            }
            rows.Add([release.ToString(), string.Join(", ", starts), string.Join(", ", stops)]);
        }
        return Table(["release", "rules that start holding", "rules that stop holding"], rows);
    }

    private static string Flavors()
    {
        var rows = new List<string[]>();
        foreach (var f in DriverFlavorInfo.All) rows.Add([Code(f.Name), f.Arithmetic, f.DriverFunction, f.Commit]);
        return Table(["flavor", "how invalidate_range(start, end) is read", "driver function", "commit"], rows);
    }

    /// <summary>What each flavor drops, with 4 user pages, for a few ranges: computed by the model's own arithmetic.</summary>
    private static string FlavorExamples()
    {
        const int pages = 4;
        (string Text, ulong Start, ulong End)[] ranges =
        [
            ("0 1", 0, Bound.PageSize),
            ("1 3", Bound.PageSize, 3 * Bound.PageSize),
            ("0 ~0", 0, ulong.MaxValue),
            ("~0 ~0", ulong.MaxValue, ulong.MaxValue),
            ("2 2", 2 * Bound.PageSize, 2 * Bound.PageSize),
        ];
        var header = new List<string> { "flavor" };
        foreach (var r in ranges) header.Add($"`invalidate_range {r.Text}`");
        var rows = new List<string[]>();
        foreach (var f in DriverFlavorInfo.All)
        {
            var row = new List<string> { Code(f.Name) };
            foreach (var r in ranges) row.Add(PageList(DriverArithmetic.Dropped(f.Flavor, r.Start, r.End, pages), pages));
            rows.Add([.. row]);
        }
        return Table([.. header], rows);
    }

    private static string PageList(ulong mask, int pages)
    {
        if (mask == 0) return "nothing";
        ulong all = (1UL << pages) - 1;
        if (mask == all) return "everything";
        var list = new List<string>();
        for (int p = 0; p < pages; p++)
            if ((mask >> p & 1) != 0) list.Add(p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return (list.Count == 1 ? "page " : "pages ") + string.Join(", ", list);
    }

    private static string ShadowModes()
    {
        var rows = new List<string[]>();
        foreach (var m in ShadowModeInfo.All)
            rows.Add([Code(m.Name) + (m.Mode == ShadowMode.Interval ? " (default)" : ""), m.Protocol, m.Source]);
        return Table(["mode", "fault protocol", "source"], rows);
    }

    private static string Code(string text) => "`" + text + "`";

    private static string Table(string[] header, List<string[]> rows)
    {
        var sb = new StringBuilder();
        Row(sb, header);
        sb.Append('|');
        foreach (var _ in header) sb.Append("---|");
        sb.Append('\n');
        foreach (var row in rows) Row(sb, row);
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string[] cells)
    {
        sb.Append('|');
        foreach (var cell in cells)
        {
            // a pipe ends a cell even inside a code span; '<br>' (our own line breaks) stays as written
            sb.Append(' ').Append(cell.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |");
        }
        sb.Append('\n');
    }
}
