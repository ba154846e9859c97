using System.Numerics;

namespace Peers.FsCheck;

/// <summary>
/// The system under test of the state-machine test: one mm (PTEs, frames, the allocator's free list), one
/// shared-table device (SVA, `exact` driver) with its IOTLB, and the kernel threads' own marks — DESIGN §3 written
/// out by hand for the ops the two compared scenarios use, as a user without the checker would. Pages are bits of
/// an int. Mutable: FsCheck applies each operation to a fresh instance per run.
/// </summary>
public sealed class Mm
{
    public const int None = -1;
    private const int OwnerMm = 0, OwnerFree = 1, OwnerOther = 2;

    private readonly int pages;
    private readonly int all;
    private readonly bool kernel66;
    private int present, writable;
    private readonly int[] pteFrame;
    private int iotlbValid, iotlbWritable;
    private readonly int[] iotlbFrame;
    private readonly int[] owner, refs;
    private readonly Queue<int> free = new();
    private readonly int[] changed, flushed, cover;
    private int returnedCover;
    private int tlbFlushPending, tlbFlushBatched;
    private readonly int[] gatherStart, gatherEnd, gatherCleared;
    private readonly List<int>[] gatherBatch;

    public Mm(Scenario scenario)
    {
        pages = scenario.Pages;
        all = (1 << pages) - 1;
        kernel66 = scenario.Kernel66;
        present = writable = scenario.InitialPresent;
        pteFrame = new int[pages];
        iotlbFrame = new int[pages];
        owner = new int[pages];
        refs = new int[pages];
        for (int p = 0; p < pages; p++)
        {
            bool mapped = (present >> p & 1) != 0;
            pteFrame[p] = mapped ? p : None;
            owner[p] = mapped ? OwnerMm : OwnerOther;
            refs[p] = mapped ? 1 : 0;
        }
        int threads = scenario.Threads.Count;
        changed = new int[threads];
        flushed = new int[threads];
        cover = new int[threads];
        gatherStart = new int[threads];
        gatherEnd = new int[threads];
        gatherCleared = new int[threads];
        gatherBatch = new List<int>[threads];
        for (int t = 0; t < threads; t++) gatherBatch[t] = [];
    }

    public int PresentMask => present;

    public int FreeFrames => free.Count;

    /// <summary>Runs kernel op <paramref name="op"/> of thread <paramref name="t"/>; returns the invariant it broke
    /// (the first in DESIGN §3.5's order), or null.</summary>
    public string? Kernel(int t, KernelOp op, bool last)
    {
        bool commit = false, freed = false;
        switch (op.Code)
        {
            case Code.Lock:
            case Code.Unlock:
            case Code.InvalidateRangeStart:
                break; // the locks and the notifier count live in the model (they only decide who may run)
            case Code.PtlUnlock:
            case Code.InvalidateRangeOnlyEnd:
                commit = true;
                break;
            case Code.InvalidateRangeEnd:
                if (!kernel66) InvalidateSecondaryTlbs(op.Range); // <= 6.5: ->invalidate_range first
                commit = true;
                break;
            case Code.InvalidateRange:
                InvalidateSecondaryTlbs(op.Range);
                break;
            case Code.PteWrprotect:
            {
                int downgraded = op.Range & present & writable;
                writable &= ~downgraded;
                cover[t] |= op.Range;
                Change(t, downgraded);
                break;
            }
            case Code.PteMove:
                PteMove(t, op.Range, op.Shift);
                commit = true;
                break;
            case Code.FlushTlbRange:
                FlushTlb(t, op.Range);
                break;
            case Code.FlushTlbMm:
                FlushTlb(t, all);
                break;
            case Code.FlushTlbBatchedPending:
                if (tlbFlushBatched != 0)
                {
                    FlushTlb(t, all);
                    tlbFlushBatched = 0;
                }
                break;
            case Code.TlbGatherMmu:
                gatherStart[t] = pages;
                gatherEnd[t] = 0;
                gatherCleared[t] = 0;
                gatherBatch[t].Clear();
                tlbFlushPending++;
                break;
            case Code.ZapPteRange:
                ZapPteRange(t, op.Range);
                break;
            case Code.TlbFinishMmu:
                freed = TlbFinishMmu(t);
                break;
            default:
                throw new InvalidOperationException($"no semantics for {op}");
        }
        if (last) returnedCover |= cover[t];
        return commit || freed || last ? StaleSecondaryAfterFlush(t) : null;
    }

    /// <summary>A device action through its IOTLB, walking the CPU page table with no lock (§3.2, §3.6 rule 7).</summary>
    public string? Device(DeviceAction action, int p)
    {
        int bit = 1 << p;
        bool valid = (iotlbValid & bit) != 0;
        switch (action)
        {
            case DeviceAction.Prefetch:
                if (!valid && (present & bit) != 0) Cache(p);
                return null;
            case DeviceAction.Read:
                if (valid) return Access(p, iotlbFrame[p], write: false);
                if ((present & bit) == 0) return null;
                Cache(p);
                return Access(p, iotlbFrame[p], write: false);
            default:
                if (valid && (iotlbWritable & bit) != 0) return Access(p, iotlbFrame[p], write: true);
                iotlbValid &= ~bit; // a write hitting a read-only entry drops it and walks again
                iotlbWritable &= ~bit;
                if ((present & writable & bit) == 0) return null;
                Cache(p);
                return Access(p, iotlbFrame[p], write: true);
        }
    }

    /// <summary>The allocator hands the oldest free frame to another owner.</summary>
    public void Reuse()
    {
        if (free.Count > 0) owner[free.Dequeue()] = OwnerOther;
    }

    private void Change(int t, int mask)
    {
        changed[t] |= mask;
        flushed[t] &= ~mask;
    }

    private void PteMove(int t, int range, int shift)
    {
        int moved = range & present, movedWritable = moved & writable, repointed = 0;
        var frames = new int[pages];
        for (int p = 0; p < pages; p++)
        {
            if ((moved >> p & 1) == 0) continue;
            frames[p] = pteFrame[p];
            pteFrame[p] = None;
        }
        present &= ~moved;
        writable &= ~moved;
        for (int p = 0; p < pages; p++)
        {
            if ((moved >> p & 1) == 0) continue;
            int d = p + shift, bit = 1 << d;
            if ((present & bit) != 0) repointed |= bit;
            pteFrame[d] = frames[p];
            present |= bit;
            if ((movedWritable >> p & 1) != 0) writable |= bit;
            else writable &= ~bit;
        }
        cover[t] |= range;
        Change(t, moved | repointed);
    }

    private void ZapPteRange(int t, int range)
    {
        int cleared = range & present;
        for (int p = 0; p < pages; p++)
        {
            if ((cleared >> p & 1) == 0) continue;
            gatherBatch[t].Add(pteFrame[p]);
            pteFrame[p] = None;
            gatherStart[t] = Math.Min(gatherStart[t], p);
            gatherEnd[t] = Math.Max(gatherEnd[t], p + 1);
        }
        present &= ~cleared;
        writable &= ~cleared;
        if (cleared != 0) gatherCleared[t] = 1;
        cover[t] |= range;
        Change(t, cleared);
    }

    /// <summary>tlb_finish_mmu (never nested here) = tlb_flush_mmu: flush the gathered range, CPU then
    /// ->invalidate_range(start, end) (6.6: through the arch flush, the same call), then free the batch.</summary>
    private bool TlbFinishMmu(int t)
    {
        if (tlbFlushPending != 1) throw new InvalidOperationException("nested gathers are not modelled here");
        if (gatherCleared[t] != 0)
        {
            int range = Pages(gatherStart[t], gatherEnd[t]);
            flushed[t] |= range & changed[t];
            InvalidateSecondaryTlbs(range);
            gatherStart[t] = pages;
            gatherEnd[t] = 0;
            gatherCleared[t] = 0;
        }
        bool freed = false;
        foreach (int f in gatherBatch[t])
        {
            if (owner[f] != OwnerMm || refs[f] <= 0 || --refs[f] > 0) continue;
            owner[f] = OwnerFree;
            free.Enqueue(f);
            freed = true;
        }
        gatherBatch[t].Clear();
        tlbFlushPending--;
        return freed;
    }

    /// <summary>A CPU flush (no CPUs in these scenarios: only the thread's flushed mark changes), then in 6.6 the
    /// secondaries over the same range.</summary>
    private void FlushTlb(int t, int range)
    {
        flushed[t] |= range & changed[t];
        if (kernel66) InvalidateSecondaryTlbs(range);
    }

    private void InvalidateSecondaryTlbs(int range)
    {
        iotlbValid &= ~range;
        iotlbWritable &= ~range;
    }

    private void Cache(int p)
    {
        int bit = 1 << p;
        iotlbValid |= bit;
        if ((writable & bit) != 0) iotlbWritable |= bit;
        else iotlbWritable &= ~bit;
        iotlbFrame[p] = pteFrame[p];
    }

    private string? Access(int p, int frame, bool write)
    {
        if (owner[frame] != OwnerMm) return "use-after-free";
        int bit = 1 << p;
        bool allowed = (present & bit) != 0 && pteFrame[p] == frame && (!write || (writable & bit) != 0);
        if (!allowed && (returnedCover & bit) != 0) return "access-after-return";
        return null;
    }

    /// <summary>At a commit point of thread T: no IOTLB entry may be stale for a page T changed and has since
    /// flushed from the CPU TLBs (DESIGN §3.5).</summary>
    private string? StaleSecondaryAfterFlush(int t)
    {
        for (int m = iotlbValid & flushed[t]; m != 0; m &= m - 1)
        {
            int p = BitOperations.TrailingZeroCount(m), bit = 1 << p;
            bool stale = (present & bit) == 0 || pteFrame[p] != iotlbFrame[p]
                || ((iotlbWritable & bit) != 0 && (writable & bit) == 0);
            if (stale) return "stale-secondary-after-flush";
        }
        return null;
    }

    public static int Pages(int start, int end) => start >= end ? 0 : ((1 << end) - 1) & ~((1 << start) - 1);

    public override string ToString()
    {
        var parts = new List<string>();
        for (int p = 0; p < pages; p++)
        {
            string pte = (present >> p & 1) == 0 ? "-" : $"f{pteFrame[p]}{((writable >> p & 1) != 0 ? "w" : "r")}";
            string tlb = (iotlbValid >> p & 1) == 0 ? "." : $"f{iotlbFrame[p]}{((iotlbWritable >> p & 1) != 0 ? "w" : "r")}";
            parts.Add($"{p}:{pte}/{tlb}");
        }
        return "Mm " + string.Join(" ", parts);
    }
}
