using Checker.Text;
using Checker.Vocabulary;

namespace Checker.Language;

/// <summary>
/// A parsed, validated ordering: the header lines and thread blocks as written (comments kept as trivia), with
/// the settings they imply. <see cref="OrderingPrinter"/> turns it back into text.
/// </summary>
public sealed record Ordering(EquatableArray<HeaderLine> Headers, EquatableArray<ThreadBlock> Threads)
{
    /// <summary>Pages when the file has no <c>pages</c> line.</summary>
    public const int DefaultPages = 4;
    /// <summary>CPUs when the file has no <c>cpus</c> line.</summary>
    public const int DefaultCpus = 1;

    /// <summary>Comment and blank lines after the last op.</summary>
    public EquatableArray<string> TrailingTrivia { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The name used when there is no <c>ordering</c> line (the file name without extension).</summary>
    public string DefaultName { get; init; } = "ordering";

    /// <summary>The <c>ordering</c> line's name.</summary>
    public string Name => Find<HeaderLine.Name>()?.Value ?? DefaultName;

    /// <summary>The release of the <c>kernel</c> line.</summary>
    public KernelRelease Kernel => Find<HeaderLine.Kernel>()?.Release ?? KernelRelease.Default;

    /// <summary>The release rules in force for <see cref="Kernel"/> (DESIGN §3.7), with each <c>patch</c> line's rule
    /// at its later behaviour (issue 15).</summary>
    public RuleSet Rules
    {
        get
        {
            var release = Kernel;
            var rules = RuleSet.For(release);
            foreach (var patch in Patches)
                if (ReleaseRuleInfo.Of(patch.Rule).LaterIn(release) is bool holds) rules = rules.With(patch.Rule, holds);
            return rules;
        }
    }

    /// <summary>The <c>patch</c> lines (issue 15), in file order.</summary>
    public IReadOnlyList<HeaderLine.Patch> Patches => All<HeaderLine.Patch>();

    /// <summary>The <c>arch</c> line's architecture (x86 by default).</summary>
    public Arch Arch => Find<HeaderLine.ArchLine>()?.Arch ?? Arch.X86;

    /// <summary>The number of user pages.</summary>
    public int Pages => Find<HeaderLine.Pages>()?.Count ?? DefaultPages;

    /// <summary>The number of CPUs.</summary>
    public int Cpus => Find<HeaderLine.Cpus>()?.Count ?? DefaultCpus;

    /// <summary>Whether freed frames may be reused by another owner (<c>reuse</c>, on by default).</summary>
    public bool Reuse => Find<HeaderLine.Reuse>()?.On ?? true;

    /// <summary>True with <c>environment explicit</c>: accesses come only from explicit threads.</summary>
    public bool ExplicitEnvironment => Find<HeaderLine.Environment>()?.Explicit ?? false;

    /// <summary>The <c>expect</c> line, or null when the author stated no expectation.</summary>
    public HeaderLine.Expect? Expect => Find<HeaderLine.Expect>();

    /// <summary>The <c>secondary</c> devices (SVA, shared-table secondaries), in file order.</summary>
    public IReadOnlyList<HeaderLine.Sva> Devices => All<HeaderLine.Sva>();

    /// <summary>The <c>secondary shadow</c> TLBs (KVM-style shadow tables), in file order.</summary>
    public IReadOnlyList<HeaderLine.Shadow> Shadows => All<HeaderLine.Shadow>();

    /// <summary>The <c>source</c> lines joined by "; ".</summary>
    public string? Source
    {
        get
        {
            var lines = All<HeaderLine.Source>();
            if (lines.Count == 0) return null;
            var texts = new string[lines.Count];
            for (int i = 0; i < texts.Length; i++) texts[i] = lines[i].Text;
            return string.Join("; ", texts);
        }
    }

    // §7 the page-table tree

    /// <summary>§7: true when the page-table tree is on: a <c>pagetables</c> line, another §7 header, or a §7 op.</summary>
    public bool PageTables
    {
        get
        {
            foreach (var header in Headers)
                if (header is HeaderLine.PageTables or HeaderLine.HugePage or HeaderLine.Huge or HeaderLine.Mm2
                    or HeaderLine.KernelPages or HeaderLine.GupFast) return true;
            foreach (var thread in Threads)
                foreach (var op in thread.Ops)
                    if (IsTreeOp(op.Code)) return true;
            return false;
        }
    }

    /// <summary>§7: true for an op of the page-table tree (DESIGN §7.3).</summary>
    public static bool IsTreeOp(OpCode code) => code >= OpCode.PmdClear && code <= OpCode.HugePmdUnshare; // §7: HugePmdUnshare last of §7 (the §8 block follows)

    /// <summary>§7: the pages a PTE table and a huge page span (<c>hugepage H</c>; all pages by default).</summary>
    public int HugePageSpan => Find<HeaderLine.HugePage>()?.Span ?? Pages;

    /// <summary>§7: the number of kernel pages (<c>kernel_pages N</c>).</summary>
    public int KernelPageCount => Find<HeaderLine.KernelPages>()?.Count ?? 0;

    /// <summary>§7: the GUP-fast walkers (<c>gup_fast</c> lines), in file order.</summary>
    public IReadOnlyList<HeaderLine.GupFast> GupWalkers => All<HeaderLine.GupFast>();

    /// <summary>§7: the <c>huge</c> lines.</summary>
    public IReadOnlyList<HeaderLine.Huge> HugeRanges => All<HeaderLine.Huge>();

    /// <summary>§7: the <c>mm2</c> line, if any.</summary>
    public HeaderLine.Mm2? Mm2 => Find<HeaderLine.Mm2>();

    /// <summary>§7 mm2 (issue 12): every CPU, mm 0's (<c>cpus N</c>) then mm 1's (<c>mm2 cpus K</c>), numbered on.</summary>
    public int AllCpus => Cpus + (Mm2?.CpuCount ?? 0);

    /// <summary>The expectation as the CLI prints it: <c>pass</c>, <c>violation a b</c>, or <c>none</c>.</summary>
    public string ExpectText
    {
        get
        {
            if (Expect is not { } e) return "none";
            if (e.Pass) return "pass";
            var names = new string[e.Violations.Count];
            for (int i = 0; i < names.Length; i++) names[i] = Invariant.NameOf(e.Violations[i]);
            return "violation " + string.Join(" ", names);
        }
    }

    /// <summary>
    /// The CPU, device or shadow an explicit thread drives, or null when there is none. <c>device K</c> and
    /// <c>shadow K</c> count over the lines of their kind; where that K does not exist, K is read as counting
    /// over all <c>secondary</c> lines (DESIGN §3.6 rule 11 says "below the number of secondary lines"), and is
    /// accepted when the K-th secondary line is of the thread's kind.
    /// </summary>
    public int? ResolveUnit(ThreadKind kind, int index)
    {
        switch (kind)
        {
            case ThreadKind.Kernel: return 0;
            case ThreadKind.Cpu: return index < AllCpus ? index : null; // §7 mm2: mm 1's CPUs follow mm 0's
            case ThreadKind.Gup: return index < GupWalkers.Count ? index : null; // §7: the K-th gup_fast line
        }
        int ofKind = kind == ThreadKind.Device ? Devices.Count : Shadows.Count;
        if (index < ofKind) return index;
        int line = 0, seenOfKind = 0;
        foreach (var header in Headers)
        {
            if (header is not (HeaderLine.Sva or HeaderLine.Shadow)) continue;
            bool matches = kind == ThreadKind.Device ? header is HeaderLine.Sva : header is HeaderLine.Shadow;
            if (line == index) return matches ? seenOfKind : null;
            if (matches) seenOfKind++;
            line++;
        }
        return null;
    }

    // §8 dirty data (issue 13)
    /// <summary>The <c>file</c> lines (page-cache pages), in file order.</summary>
    public IReadOnlyList<HeaderLine.File> FileRanges => All<HeaderLine.File>();

    /// <summary>The <c>alias</c> lines, in file order.</summary>
    public IReadOnlyList<HeaderLine.Alias> Aliases => All<HeaderLine.Alias>();

    /// <summary>The <c>lazyfree</c> lines, in file order.</summary>
    public IReadOnlyList<HeaderLine.Lazyfree> LazyfreeRanges => All<HeaderLine.Lazyfree>();

    /// <summary>True when a §8 header, op or condition appears: only then are dirty bits, PG_dirty, the page cache
    /// and the other §8 fields modelled and hashed (DESIGN §8.7).</summary>
    public bool UsesDirtyData
    {
        get
        {
            foreach (var header in Headers)
                if (header is HeaderLine.File or HeaderLine.Alias or HeaderLine.Lazyfree) return true;
            foreach (var thread in Threads)
                foreach (var op in thread.Ops)
                {
                    if (op.Code >= OpCode.ForceFlush && op.Code != OpCode.TlbFlushMmuTlbonly && op.Code != OpCode.TlbFlushPteRange) return true;
                    if (op.If is { } c && (Condition.IsDirtyData(c.Kind) || c.Or is not null)) return true;
                }
            return false;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => OrderingPrinter.Print(this);

    private T? Find<T>() where T : HeaderLine
    {
        foreach (var header in Headers)
            if (header is T match) return match;
        return null;
    }

    private List<T> All<T>() where T : HeaderLine
    {
        var list = new List<T>();
        foreach (var header in Headers)
            if (header is T match) list.Add(match);
        return list;
    }
}
