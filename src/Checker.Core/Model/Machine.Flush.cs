using Checker.Invariants;
using Checker.Vocabulary;

namespace Checker.Model;

internal partial class Machine
{
    /// <summary>A CPU TLB flush op (flush_tlb_range/page/mm, ptep_clear_flush, flush_tlb_batched_pending,
    /// change_protection's own flush): the CPUs, then from 6.6 the secondaries over the same range — (0, -1)
    /// for a full flush (x86 flush_tlb_mm_range, arm64 __flush_tlb_range / flush_tlb_mm).</summary>
    private void FlushTlb(int t, ulong mask, ulong start, ulong end, bool full)
    {
        CpuFlush(t, mask, full);
        if (rules.Has(ReleaseRule.ArchFlushInvalidatesSecondaries))
            InvalidateSecondaryTlbs(full ? 0 : start, full ? ulong.MaxValue : end);
    }

    /// <summary>The CPU half of a flush: drop the pages from every CPU TLB and, for smmu-btm devices, from
    /// the IOTLB (broadcast TLBI, §3.6 rule 9); the pages this thread has changed are now flushed by it.</summary>
    private void CpuFlush(int t, ulong mask, bool full)
    {
        if (tree is not null) mask = TreeCpuFlush(t, mask, full); // §7.4
        recorder?.CpuFlush(mask, full);
        for (int c = s.CpuFirst; c < s.CpuEnd; c++) // §7 mm2: the acting mm's CPUs
        {
            recorder?.Dropped(CacheKind.Tlb, c, w[s.TlbValid + c] & mask);
            w[s.TlbValid + c] &= ~mask;
            w[s.TlbWritable + c] &= ~mask;
        }
        for (int d = 0; d < s.MmDevices; d++) // §7 mm2: devices are attached to mm 0
        {
            if (program.Devices[d].Flavor != DriverFlavor.SmmuBtm) continue;
            recorder?.Dropped(CacheKind.Iotlb, d, w[s.IotlbValid + d] & mask);
            w[s.IotlbValid + d] &= ~mask;
            w[s.IotlbWritable + d] &= ~mask;
        }
        w[s.Flushed + t] |= mask & w[s.Changed + t];
        if (full) costs.FullFlushes++;
    }

    /// <summary>The secondary TLB hook (<c>-&gt;invalidate_range</c>, 6.6 <c>arch_invalidate_secondary_tlbs</c>):
    /// each attached shared-table device applies its driver's arithmetic to (start, end) as given.</summary>
    private void InvalidateSecondaryTlbs(ulong start, ulong end)
    {
        if (i[s.Attached] == 0) return;
        NotifierCall(start, end);
        recorder?.BeginSecondaryInvalidation(start, end);
        costs.SecondaryInvalidations++;
        ulong nominal = start == 0 && end == ulong.MaxValue ? allPages : OrderingCompiler.Touched(start, end, pages);
        bool staleInRange = false;
        for (int d = 0; d < s.Devices; d++)
        {
            for (ulong m = w[s.IotlbValid + d] & nominal; m != 0 && !staleInRange; m &= m - 1)
            {
                int p = Lowest(m);
                staleInRange = IotlbEntryStale(d, p);
            }
        }
        if (!staleInRange && pteChangesSinceInvalidation == 0) costs.RedundantInvalidations++;
        pteChangesSinceInvalidation = 0;
        for (int d = 0; d < s.Devices; d++)
        {
            var flavor = program.Devices[d].Flavor;
            if (flavor == DriverFlavor.SmmuBtm) continue;
            ulong dropped = w[s.IotlbValid + d] & DriverArithmetic.Dropped(flavor, start, end, pages);
            costs.PagesDropped += System.Numerics.BitOperations.PopCount(dropped);
            recorder?.Dropped(CacheKind.Iotlb, d, dropped);
            w[s.IotlbValid + d] &= ~dropped;
            w[s.IotlbWritable + d] &= ~dropped;
            if (tree is not null) TreeInvalidateDevice(d, start, end); // §7.4: walk entries too
        }
        recorder?.EndSecondaryInvalidation();
    }

    /// <summary>A notifier or secondary-invalidation call: its range must be valid while a secondary is attached.</summary>
    private void NotifierCall(ulong start, ulong end)
    {
        if (i[s.Attached] != 0 && !InvalidNotifierRange.IsValid(start, end, program.UserEnd))
            Flag(InvariantId.InvalidNotifierRange, ViolationSite.Of(actor, start: start, end: end));
    }

    private bool IotlbEntryStale(int d, int p)
    {
        ulong bit = 1UL << p;
        return StaleSecondaryAfterFlush.IsStale(i[s.IotlbFrame + d * pages + p], (w[s.IotlbWritable + d] & bit) != 0,
            (w[s.PtePresent] & bit) != 0, i[s.PteFrame + p], (w[s.PteWritable] & bit) != 0)
            || Protnone(p); // §8.2 rule 6
    }
}
