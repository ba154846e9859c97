using System.Numerics;
using Checker.Language;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Repair;

/// <summary>The candidate edits of an ordering (issue 15): in each kernel thread, insert a secondary invalidation
/// (<c>invalidate_range R</c>, or <c>arch_invalidate_secondary_tlbs R</c> from 6.6, where the ordering has a
/// shared-table device) or a CPU flush after any op from the thread's first PTE change on; move an existing flush or
/// invalidation within its thread; wrap a run of ops containing a PTE change, outside the page-table lock and
/// balanced in notifiers, in <c>invalidate_range_start R</c>/<c>invalidate_range_end R</c>. Ranges R: <c>0 ~0</c>,
/// the ranges the thread already uses, and the span of its changed pages. With the page-table tree (DESIGN §7) an
/// insert may also be <c>tlb_remove_table_sync_one</c> (2ba99c5e0881, 1013af4f585f), <c>flush_tlb_kernel_range</c>
/// over each kernel page the thread names and their span (5e0fb5df2ee8), or, with a device,
/// <c>iommu_sva_invalidate_kva_range</c> (e37d5a2d60a3), each only where the release has the op. Nothing is deleted or reordered; the
/// validator refuses any edited text that unbalances a lock or a notifier.</summary>
internal static class RepairCandidates
{
    /// <summary>Ops that flush CPU TLBs (the cost's CPU flush count).</summary>
    public static bool IsCpuFlush(OpCode code) => code is OpCode.FlushTlbRange or OpCode.FlushTlbPage or OpCode.FlushTlbMm
        or OpCode.PtepClearFlush or OpCode.PtepClearFlushNotify or OpCode.TryToUnmapFlush or OpCode.FlushTlbBatchedPending
        or OpCode.TlbFlushMmu or OpCode.TlbFinishMmu or OpCode.FlushTlbKernelRange or OpCode.TlbRemoveTableSyncOne;

    /// <summary>Explicit secondary invalidations (either kernel-era name).</summary>
    public static bool IsSecondaryInvalidation(OpCode code) => code is OpCode.InvalidateRange or OpCode.ArchInvalidateSecondaryTlbs;

    /// <summary>Standalone flushes and invalidations a move may shift.</summary>
    public static bool IsMovable(OpCode code) => code is OpCode.FlushTlbRange or OpCode.FlushTlbPage or OpCode.FlushTlbMm
        or OpCode.InvalidateRange or OpCode.ArchInvalidateSecondaryTlbs or OpCode.TryToUnmapFlush or OpCode.FlushTlbBatchedPending;

    /// <summary>Ops that change (or may change) PTEs.</summary>
    public static bool ChangesPtes(OpCode code) => code is OpCode.PteClear or OpCode.PteWrprotect or OpCode.PteMkwrite
        or OpCode.PteInstall or OpCode.PteRestore or OpCode.PteMove or OpCode.PtepSetAccessFlags or OpCode.PtepClearFlush
        or OpCode.PtepClearFlushNotify or OpCode.ZapPteRange or OpCode.ChangeProtection;

    /// <summary>
    /// The pages a §7 PMD- or PUD-level op takes translations of away or repoints (DESIGN §7.6 rule 2), as the wrap
    /// candidate covers them: the region of P for a PMD entry op; the whole PUD span — every page — for
    /// <c>huge_pmd_unshare</c>, which unmaps all of it from the unsharing mm (the range 017b1660df89's
    /// adjust_range_if_pmd_sharing_possible widens the notifier to). 0 for any other op.
    /// </summary>
    private static ulong ChangedByPmdOp(OpLine op, Ordering ordering)
    {
        if (op.Range is not { } r) return 0;
        int pages = ordering.Pages, span = Math.Max(1, ordering.HugePageSpan);
        ulong all = pages >= 64 ? ulong.MaxValue : (1UL << pages) - 1;
        switch (op.Code)
        {
            case OpCode.HugePmdUnshare:
                return all;
            case OpCode.PmdClear or OpCode.PmdpHugeGetAndClear or OpCode.PmdpHugeClearFlush or OpCode.PmdpCollapseFlush
                or OpCode.PmdpInvalidate or OpCode.SplitHugePmd or OpCode.ZapHugePmd or OpCode.SetPmdAt:
                ulong touched = OrderingCompiler.Touched(r.Start, r.End, pages), regions = 0;
                for (int first = 0; first < pages; first += span)
                {
                    ulong region = (span >= 64 ? ulong.MaxValue : (1UL << span) - 1) << first & all;
                    if ((touched & region) != 0) regions |= region;
                }
                return regions;
            default:
                return 0;
        }
    }

    /// <summary>The secondary invalidation op this release spells, or null when it has none.</summary>
    public static OpCode? SecondaryInvalidationOp(RuleSet rules)
    {
        if (!rules.Has(ReleaseRule.InvalidateRangeHook)) return null;
        return rules.Has(ReleaseRule.ArchFlushInvalidatesSecondaries) ? OpCode.ArchInvalidateSecondaryTlbs : OpCode.InvalidateRange;
    }

    /// <summary>The range a secondary invalidation mirroring the CPU flush <paramref name="flush"/> would pass
    /// (what 6.6's arch flush passes on), or null when the op is not a plain flush.</summary>
    public static string? MirrorRange(OpLine flush) => flush.Code switch
    {
        OpCode.FlushTlbMm or OpCode.FlushTlbBatchedPending => "0 ~0",
        OpCode.FlushTlbRange or OpCode.FlushTlbPage or OpCode.PtepClearFlush => flush.Range?.ToString(),
        _ => null,
    };

    public static List<RepairEdit> For(Ordering ordering)
    {
        var edits = new List<RepairEdit>();
        var firstInsert = new int[ordering.Threads.Count]; // issue 15: where each thread's inserts start
        var rules = ordering.Rules;
        var secondary = ordering.Devices.Count > 0 ? SecondaryInvalidationOp(rules) : null;
        bool wraps = ordering.Shadows.Count > 0 || ordering.Devices.Count > 0;
        bool tree = ordering.PageTables;
        bool syncOne = tree && OpInfo.Of(OpCode.TlbRemoveTableSyncOne).AvailableIn(rules);
        bool kernelFlush = tree && ordering.KernelPageCount > 0 && OpInfo.Of(OpCode.FlushTlbKernelRange).AvailableIn(rules);
        bool kva = tree && ordering.Devices.Count > 0 && OpInfo.Of(OpCode.IommuSvaInvalidateKvaRange).AvailableIn(rules);
        for (int t = 0; t < ordering.Threads.Count; t++)
        {
            var block = ordering.Threads[t];
            if (block.Kind != ThreadKind.Kernel) continue;
            var ops = block.Ops;
            int n = ops.Count;
            var ranges = Ranges(ordering, block);
            var kernelRanges = kernelFlush ? KernelRanges(block) : [];
            int firstChange = -1;
            for (int i = 0; i < n && firstChange < 0; i++)
                if (ChangesPtes(ops[i].Code)) firstChange = i;
            int from = firstChange < 0 ? 1 : firstChange + 1;
            firstInsert[t] = from;

            for (int p = from; p <= n; p++)
            {
                if (secondary is { } code)
                    foreach (var r in ranges)
                        edits.Add(new RepairEdit(RepairEditKind.Insert, t, p, new OpLine(code, Range: r)));
                edits.Add(new RepairEdit(RepairEditKind.Insert, t, p, new OpLine(OpCode.FlushTlbMm)));
                foreach (var r in ranges)
                    if (r.Second is not { Kind: BoundKind.Max }) edits.Add(new RepairEdit(RepairEditKind.Insert, t, p, new OpLine(OpCode.FlushTlbRange, Range: r)));
                if (rules.Has(ReleaseRule.TlbFlushBatched))
                    edits.Add(new RepairEdit(RepairEditKind.Insert, t, p, new OpLine(OpCode.FlushTlbBatchedPending)));
                // §7: the IPI that waits for GUP-fast, the kernel flush, the SVA kernel-half invalidation
                if (syncOne) edits.Add(new RepairEdit(RepairEditKind.Insert, t, p, new OpLine(OpCode.TlbRemoveTableSyncOne)));
                foreach (var r in kernelRanges)
                    edits.Add(new RepairEdit(RepairEditKind.Insert, t, p, new OpLine(OpCode.FlushTlbKernelRange, Range: r)));
                if (kva) edits.Add(new RepairEdit(RepairEditKind.Insert, t, p, new OpLine(OpCode.IommuSvaInvalidateKvaRange)));
            }

            for (int i = 0; i < n; i++)
            {
                if (!IsMovable(ops[i].Code) || ops[i].If is not null) continue;
                for (int p = 0; p <= n; p++)
                    if (p != i && p != i + 1) edits.Add(new RepairEdit(RepairEditKind.Move, t, p, null, From: i));
            }

            if (!wraps) continue;
            var ptlHeld = PtlHeldBefore(ops);
            for (int i = 0; i < n; i++)
            {
                if (ptlHeld[i]) continue;
                int depth = 0;
                bool change = false;
                ulong touched = 0;
                for (int j = i; j < n; j++)
                {
                    var op = ops[j];
                    if (op.Code == OpCode.InvalidateRangeStart) depth++;
                    else if (op.Code is OpCode.InvalidateRangeEnd or OpCode.InvalidateRangeOnlyEnd && --depth < 0) break;
                    if (ChangesPtes(op.Code) && op.Range is { } r)
                    {
                        change = true;
                        touched |= OrderingCompiler.Touched(r.Start, r.End, ordering.Pages);
                    }
                    else if (ChangedByPmdOp(op, ordering) is var spanned and not 0)
                    {
                        change = true;
                        touched |= spanned;
                    }
                    if (!change || depth != 0 || ptlHeld[j + 1] || touched == 0) continue;
                    int lo = BitOperations.TrailingZeroCount(touched), hi = 64 - BitOperations.LeadingZeroCount(touched);
                    var span = RangeArg.Pages(lo, hi);
                    edits.Add(new RepairEdit(RepairEditKind.Wrap, t, i, new OpLine(OpCode.InvalidateRangeStart, Range: span),
                        End: j + 1, Closing: new OpLine(OpCode.InvalidateRangeEnd, Range: span)));
                }
            }
        }
        edits.AddRange(RepairHelpers.Candidates(ordering, firstInsert)); // issue 15: helper and driver changes, last
        return edits;
    }

    /// <summary>The optimisation candidates: each explicit secondary invalidation (remove it), each
    /// <c>invalidate_range_end</c> whose release has <c>only_end</c> (drop its implicit invalidation), each
    /// <c>ptep_clear_flush_notify</c> (keep only the CPU flush).</summary>
    public static List<RepairEdit> Redundancy(Ordering ordering)
    {
        var edits = new List<RepairEdit>();
        var rules = ordering.Rules;
        bool onlyEnd = rules.Has(ReleaseRule.InvalidateRangeOnlyEnd) && rules.Has(ReleaseRule.EndInvalidatesSecondaries);
        for (int t = 0; t < ordering.Threads.Count; t++)
        {
            var block = ordering.Threads[t];
            if (block.Kind != ThreadKind.Kernel) continue;
            for (int i = 0; i < block.Ops.Count; i++)
            {
                var op = block.Ops[i];
                if (op.If is not null) continue;
                if (IsSecondaryInvalidation(op.Code)) edits.Add(new RepairEdit(RepairEditKind.Remove, t, i, null, From: i));
                else if (op.Code == OpCode.InvalidateRangeEnd && onlyEnd)
                    edits.Add(new RepairEdit(RepairEditKind.Replace, t, i, op with { Code = OpCode.InvalidateRangeOnlyEnd, Trivia = Trivia.None }, From: i));
                else if (op.Code == OpCode.PtepClearFlushNotify)
                    edits.Add(new RepairEdit(RepairEditKind.Replace, t, i, op with { Code = OpCode.PtepClearFlush, Trivia = Trivia.None }, From: i));
            }
        }
        return edits;
    }

    private static List<RangeArg> Ranges(Ordering ordering, ThreadBlock block)
    {
        var list = new List<RangeArg> { new(Bound.Page(0), Bound.Max, SourcePos.None) };
        var seen = new HashSet<string> { "0 ~0" };
        ulong changed = 0;
        foreach (var op in block.Ops)
        {
            if (op.Range is not { } r || op.Info.Role == OpRole.Environment) continue;
            var plain = r with { Pos = SourcePos.None, First = r.First with { Pos = SourcePos.None } };
            if (r.Second is { } s) plain = plain with { Second = s with { Pos = SourcePos.None } };
            if (seen.Add(plain.ToString())) list.Add(plain);
            if (ChangesPtes(op.Code)) changed |= OrderingCompiler.Touched(r.Start, r.End, ordering.Pages);
        }
        if (changed != 0)
        {
            int lo = BitOperations.TrailingZeroCount(changed), hi = 64 - BitOperations.LeadingZeroCount(changed);
            var span = RangeArg.Pages(lo, hi);
            if (seen.Add(span.ToString())) list.Add(span);
        }
        return list;
    }

    /// <summary>§7: the ranges a <c>flush_tlb_kernel_range</c> may take in <paramref name="block"/>: each kernel page
    /// kP its ops name (<c>kP kP+1</c>), then the span of them all.</summary>
    private static List<RangeArg> KernelRanges(ThreadBlock block)
    {
        var pages = new SortedSet<int>();
        foreach (var op in block.Ops)
        {
            if (op.Range is not { } r) continue;
            if (r.First.Kind != BoundKind.Kernel) continue;
            int lo = (int)r.First.Value, hi = r.Second is { Kind: BoundKind.Kernel } s ? (int)s.Value : lo + 1;
            for (int k = lo; k < hi; k++) pages.Add(k);
        }
        var list = new List<RangeArg>();
        var seen = new HashSet<string>();
        foreach (int k in pages)
        {
            var one = new RangeArg(Bound.KernelPage(k), Bound.KernelPage(k + 1), SourcePos.None);
            if (seen.Add(one.ToString())) list.Add(one);
        }
        if (pages.Count > 1)
        {
            var span = new RangeArg(Bound.KernelPage(pages.Min), Bound.KernelPage(pages.Max + 1), SourcePos.None);
            if (seen.Add(span.ToString())) list.Add(span);
        }
        return list;
    }

    private static bool[] PtlHeldBefore(IReadOnlyList<OpLine> ops)
    {
        var held = new bool[ops.Count + 1];
        bool now = false;
        for (int i = 0; i < ops.Count; i++)
        {
            held[i] = now;
            if (ops[i].Code == OpCode.PtlLock) now = true;
            else if (ops[i].Code == OpCode.PtlUnlock) now = false;
        }
        held[ops.Count] = now;
        return held;
    }
}
