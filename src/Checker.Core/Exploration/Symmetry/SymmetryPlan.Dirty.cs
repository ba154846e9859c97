using System.Numerics;
using Checker.Language;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Exploration.Symmetry;

/// <summary>
/// §8 dirty data in the symmetry plan (issue 14): the §8 header lines and ops are handled, and what they tell
/// pages apart joins <see cref="Distinctions"/>. The state the canonical form must then permute is listed in
/// <see cref="StateCanonicalizer"/> (its §8 partial file), which also gives the soundness argument.
/// </summary>
internal sealed partial class SymmetryPlan
{
    private static bool IsHandledDirtyHeader(HeaderLine header) =>
        header is HeaderLine.File or HeaderLine.Alias or HeaderLine.Lazyfree;

    private static readonly HashSet<OpCode> HandledDirtyOps =
    [
        OpCode.ForceFlush, OpCode.PteMkclean, OpCode.TlbFlushMmuTlbonly, OpCode.TlbFlushPteRange, OpCode.TlbFlushRmaps,
        OpCode.Writeback, OpCode.MadviseFree, OpCode.ChangeProtNuma, OpCode.SetTlbFlushPending,
        OpCode.ClearTlbFlushPending, OpCode.LazyfreeDiscard, OpCode.GetUserPages, OpCode.DmaWrite, OpCode.SetPageDirty,
        OpCode.UnpinUserPage,
    ];

    /// <summary>The §8 words of <see cref="ModelState.W"/> (ModelState.Dirty's layout), or 0 without §8.</summary>
    private static int DirtyWords(ModelState s) => s.HasDirty ? 2 + s.Cpus + s.Devices + 4 * s.Threads : 0;

    /// <summary>The §8 ints of <see cref="ModelState.I"/>: eight per frame, force_flush per thread, a delayed rmap
    /// and a pin per thread and page.</summary>
    private static int DirtyInts(ModelState s) => s.HasDirty ? 8 * s.MaxFrames + s.Threads + 2 * s.Threads * s.Pages : 0;

    /// <summary>The §8 contents (disk and baseline versions per frame: not hashed).</summary>
    private static int DirtyContents(ModelState s) => s.HasDirty ? 2 * s.MaxFrames : 0;

    /// <summary>
    /// What §8 tells pages apart, beyond the op ranges, covered masks, conditions (both of an <c>if … or …</c>)
    /// and driver arithmetic every op already adds:
    /// <list type="bullet">
    /// <item><c>file A B</c> and <c>lazyfree A B</c>: their page masks (initial D, the page cache, lazy-free frames).</item>
    /// <item><c>alias Q P</c>: Q and P each alone. The alias makes Q map P's frame, and P's frame is P's page-cache
    /// frame (cache index = page), so Q and P refer to each other by index; singling both out is the refinement
    /// that needs no argument (a class of aliases would have to permute Q's and P's partners together).</item>
    /// <item>the page of every §8 op with a page argument (<c>writeback P</c>, <c>lazyfree_discard P</c>,
    /// <c>get_user_pages P</c>, <c>dma_write P</c>, <c>set_page_dirty P</c>, <c>unpin_user_page P</c>).</item>
    /// <item><c>madvise_free R</c>: each page of R alone. It widens the gather by the pages whose PTE had D, and D
    /// differs between pages of a class (a CPU's write sets it on one page), so the gather's hull would no longer be
    /// a hull of whole classes, which the canonical form copies unpermuted. With every page of R alone, any hull's
    /// ends are unreduced pages or whole-class ends.</item>
    /// </list>
    /// Every other §8 op acts on whole ranges (<c>pte_mkclean</c>, <c>change_prot_numa</c>,
    /// <c>tlb_flush_pte_range</c>), on the thread (<c>force_flush</c>, <c>tlb_flush_rmaps</c>), on the mm
    /// (<c>set_/clear_tlb_flush_pending</c>) or on the gather's range (<c>tlb_flush_mmu_tlbonly</c>), alike for
    /// every page of a class. <c>writeback P</c> also flushes each other page mapping P's frame, one page at a time:
    /// those pages are P, P's <c>pte_move</c> partners (one unit) and an <c>alias</c> of P (alone), and a one-page
    /// range drops, by every driver's arithmetic, that page, nothing or everything — the same for every page.
    /// </summary>
    private static void AddDirtyDistinctions(CompiledOrdering program, List<ulong> masks)
    {
        if (program.Dirty is not { } layout) return;
        int pages = program.Pages;
        masks.Add(layout.File);
        masks.Add(layout.Lazyfree);
        for (int q = 0; q < pages && q < layout.AliasOf.Length; q++)
        {
            int target = layout.AliasOf[q];
            if (target < 0) continue;
            masks.Add(1UL << q);
            if (target < pages) masks.Add(1UL << target);
        }
        foreach (var op in program.Ops)
        {
            switch (op.Code)
            {
                case OpCode.Writeback or OpCode.LazyfreeDiscard or OpCode.GetUserPages or OpCode.DmaWrite
                    or OpCode.SetPageDirty or OpCode.UnpinUserPage:
                    if (op.Arg >= 0 && op.Arg < pages) masks.Add(1UL << op.Arg);
                    break;
                case OpCode.MadviseFree:
                    for (ulong m = op.Pages | OrderingCompiler.Touched(op.Start, op.End, pages); m != 0; m &= m - 1)
                        masks.Add(1UL << BitOperations.TrailingZeroCount(m));
                    break;
            }
        }
    }
}
