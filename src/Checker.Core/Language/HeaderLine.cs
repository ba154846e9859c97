using Checker.Text;
using Checker.Vocabulary;

namespace Checker.Language;

/// <summary>A header line of an ordering (DESIGN §2, Header).</summary>
public abstract record HeaderLine(SourcePos Pos)
{
    /// <summary>Comments and blank lines around the line, kept for printing.</summary>
    public Trivia Trivia { get; init; } = Trivia.None;

    /// <summary>The keyword that starts the line.</summary>
    public abstract string Keyword { get; }

    /// <summary><c>ordering NAME</c>.</summary>
    public sealed record Name(string Value, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "ordering";
    }

    /// <summary><c>kernel X.Y[.Z]</c>: the mainline release modelled (DESIGN §3.7).</summary>
    public sealed record Kernel(KernelRelease Release, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "kernel";
    }

    /// <summary><c>arch x86|arm64</c>.</summary>
    public sealed record ArchLine(Arch Arch, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "arch";
    }

    /// <summary><c>pages N</c>.</summary>
    public sealed record Pages(int Count, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "pages";
    }

    /// <summary><c>readonly A B</c>: the pages start mapped read-only.</summary>
    public sealed record ReadOnly(RangeArg Range, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "readonly";
    }

    /// <summary><c>unmapped A B</c>: the pages start not present.</summary>
    public sealed record Unmapped(RangeArg Range, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "unmapped";
    }

    /// <summary><c>cpus N</c>.</summary>
    public sealed record Cpus(int Count, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "cpus";
    }

    /// <summary><c>secondary sva FLAVOR [keeps-entry-on-fault]</c>.</summary>
    public sealed record Sva(DriverFlavor Flavor, bool KeepsEntryOnFault, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "secondary";
    }

    /// <summary><c>secondary shadow [interval|no-retry]</c>; <see cref="Written"/> says whether the mode was spelled out.</summary>
    public sealed record Shadow(ShadowMode Mode, bool Written, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "secondary";
    }

    /// <summary><c>reuse on|off</c>.</summary>
    public sealed record Reuse(bool On, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "reuse";
    }

    /// <summary><c>environment generated|explicit</c>.</summary>
    public sealed record Environment(bool Explicit, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "environment";
    }

    /// <summary><c>expect pass</c> (no ids) or <c>expect violation ID…</c>.</summary>
    public sealed record Expect(EquatableArray<InvariantId> Violations, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "expect";

        /// <summary>True when the line expects <c>pass</c> (no invariant violated).</summary>
        public bool Pass => Violations.Count == 0;
    }

    /// <summary><c>source TEXT</c>: provenance (functions, files, commits).</summary>
    public sealed record Source(string Text, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "source";
    }

    // §7 the page-table tree

    /// <summary><c>pagetables</c>: turn the page-table tree on (DESIGN §7).</summary>
    public sealed record PageTables(SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "pagetables";
    }

    /// <summary><c>hugepage H</c>: a PTE table and a huge page span H pages.</summary>
    public sealed record HugePage(int Span, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "hugepage";
    }

    /// <summary><c>huge A B</c>: the regions of [A,B) start mapped by huge PMDs.</summary>
    public sealed record Huge(RangeArg Range, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "huge";
    }

    /// <summary><c>mm2 [cpus K] [shared-pmd]</c>: a second mm, with K CPUs of its own, sharing mm 0's PMD table or not (§7).</summary>
    public sealed record Mm2(int CpuCount, bool SharedPmd, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "mm2";
    }

    /// <summary><c>kernel_pages N</c>: kernel pages k0…k(N−1) under a kernel PMD table.</summary>
    public sealed record KernelPages(int Count, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "kernel_pages";
    }

    /// <summary><c>gup_fast [mm M]</c>: a lockless GUP-fast walker of mm M.</summary>
    public sealed record GupFast(int Mm, bool MmWritten, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "gup_fast";
    }

    // §8 dirty data (issue 13)
    /// <summary><c>file A B</c>: MAP_SHARED file pages whose frames the page cache also holds (DESIGN §8.1).</summary>
    public sealed record File(RangeArg Range, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "file";
    }

    /// <summary><c>alias Q P</c>: page Q maps page P's frame (a second mapping of one file page).</summary>
    public sealed record Alias(RangeArg Page, RangeArg Target, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "alias";
    }

    /// <summary><c>lazyfree A B</c>: anonymous pages whose MADV_FREE has returned.</summary>
    public sealed record Lazyfree(RangeArg Range, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "lazyfree";
    }

    // issue 15: a helper change
    /// <summary><c>patch RULE</c>: model the release rule <see cref="Rule"/> at its next change after the file's release —
    /// a backport, or a proposed change of a kernel helper (what <c>checker repair</c> writes when no edit of the path
    /// removes a violation).</summary>
    public sealed record Patch(ReleaseRule Rule, SourcePos Pos) : HeaderLine(Pos)
    {
        /// <summary>The line's keyword.</summary>
        public override string Keyword => "patch";
    }
}
