using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Model;

/// <summary>
/// One compiled op: everything the machine needs, precomputed, so a step is a dispatch on <see cref="Code"/>
/// over flat fields (no parsing, no allocation).
/// </summary>
internal readonly struct Op
{
    public Op(OpCode code, ulong start, ulong end, ulong pages, ulong covered, int arg, bool readOnly, bool hasRange,
        sbyte condition, bool conditionNegated, int conditionPage, PteState wait, bool commitPoint)
    {
        Code = code;
        Start = start;
        End = end;
        Pages = pages;
        Covered = covered;
        Arg = arg;
        ReadOnly = readOnly;
        HasRange = hasRange;
        Condition = condition;
        ConditionNegated = conditionNegated;
        ConditionPage = conditionPage;
        Wait = wait;
        CommitPoint = commitPoint;
        OrCondition = -1;
        OrConditionPage = -1;
    }

    // §7 the page-table tree

    /// <summary>§7: the kernel page kP a kernel-page op names, else -1.</summary>
    public int KernelPage { get; init; } = -1;

    /// <summary>§7: the kernel pages (bit k = kP) of a kernel range.</summary>
    public ulong KernelMask { get; init; }

    /// <summary>§7: move_pgt_entry's destination page, else -1.</summary>
    public int Destination { get; init; } = -1;

    /// <summary>§7: the same op acting on <paramref name="pages"/> only (§7.6 rule 6: PTE ops act on table regions).</summary>
    public Op WithPages(ulong pages) => new(Code, Start, End, pages, Covered, Arg, ReadOnly, HasRange, Condition, ConditionNegated,
        ConditionPage, Wait, CommitPoint) { KernelPage = KernelPage, KernelMask = KernelMask, Destination = Destination,
        OrCondition = OrCondition, OrConditionNegated = OrConditionNegated, OrConditionPage = OrConditionPage };

    // §8 dirty data (issue 13): the second condition of 'if C1 or C2 OP'
    /// <summary>The <c>or</c> condition (a <see cref="ConditionKind"/>), or -1 when there is none.</summary>
    public sbyte OrCondition { get; init; }

    public bool OrConditionNegated { get; init; }

    /// <summary>The page the <c>or</c> condition tests; -1 when it names no user page.</summary>
    public int OrConditionPage { get; init; }

    public OpCode Code { get; }

    /// <summary>The range's first byte, exactly as written.</summary>
    public ulong Start { get; }

    /// <summary>The range's end byte (exclusive), exactly as written.</summary>
    public ulong End { get; }

    /// <summary>User pages whose 4 KiB overlaps [Start, End): what PTE ops and CPU flushes touch.</summary>
    public ulong Pages { get; }

    /// <summary>User pages wholly inside [Start, End): what a start/end covers for <c>pte-change-outside-notifier</c>.</summary>
    public ulong Covered { get; }

    /// <summary>Lock index (lock ops), page shift (pte_move), page (single-page and environment ops; -1 if none).</summary>
    public int Arg { get; }

    /// <summary><c>ro</c> for pte_install / pte_restore / change_protection.</summary>
    public bool ReadOnly { get; }

    /// <summary>tlb_finish_mmu was given its range.</summary>
    public bool HasRange { get; }

    /// <summary>The <c>if</c> condition (a <see cref="ConditionKind"/>), or -1 when the op is unconditional.</summary>
    public sbyte Condition { get; }

    public bool ConditionNegated { get; }

    /// <summary>The page a <c>pte_*</c> condition tests; -1 when it names no user page.</summary>
    public int ConditionPage { get; }

    /// <summary>The state <c>wait_pte</c> waits for.</summary>
    public PteState Wait { get; }

    /// <summary>The op is a commit point by itself (ptl_unlock, copy_page, pte_install, pte_move, end, only_end).</summary>
    public bool CommitPoint { get; }
}
