using Checker.Model;

namespace Checker.Exploration.Symmetry;

/// <summary>
/// §8 dirty data in the canonical form (issue 14). Every §8 field <see cref="ModelState.Hash"/> covers
/// (ModelState.Dirty's layout) is permuted with its element:
/// <list type="bullet">
/// <item>page masks — PTE D and protnone, each thread's cleared D and W, pinned and delayed pages — by the page
/// permutation;</item>
/// <item>the D cached in each TLB and IOTLB entry, with its CPU or device and by page;</item>
/// <item>each thread's delayed-rmap frame and pin frame per page, by page, then the frame renumbering;</item>
/// <item>per frame PG_dirty, page cache, lazy-free, discarded, unwritten (content = disk), baseline set, at
/// baseline and last cleaner (a thread: threads are never permuted), moved with their frame;</item>
/// <item>force_flush per thread, copied (threads stay).</item>
/// </list>
/// The disk and baseline versions are contents (<see cref="ModelState.C"/>), which the hash leaves out anyway.
///
/// <para><b>Why this is sound.</b> The representative is the image of the state under a page permutation π (within
/// the plan's classes, which §8 headers and ops split: <see cref="SymmetryPlan"/>), CPU and device permutations,
/// and a frame bijection σ. Frames are otherwise read only for equality, ownership and refcounts, so any σ would
/// do — except that §8 names a frame by a page: the page cache's index is the frame of page P (<c>writeback P</c>
/// reads frame P if it is in the cache, Machine.CacheFrame). So σ must send every page-cache frame P to frame
/// π(P) (<see cref="ReserveCacheFrames"/>), and every other frame to a number that is no page-cache frame in the
/// image; the first-reference numbering then skips the reserved numbers (<see cref="Take"/>). With that, frame π(P)
/// of the image is in the cache exactly when frame P of the state is, and <c>writeback π(P)</c> in the image does
/// what <c>writeback P</c> does in the state. Only frames below <c>pages</c> are ever in the cache (the
/// <c>file</c> header puts them there; nothing else does), and a frame leaves the cache only when it is freed
/// (Machine.PutFrame), so a free or reused frame is never a cache frame.</para>
///
/// <para><see cref="Owner"/>'s argument (free and reused frames hashed alike) still holds with §8: the allocator's
/// reuse changes the owner only, no §8 field; every §8 step reads a frame's owner only as "the mm's or not"
/// (use-after-free of a <c>dma_write</c>, put_page), and reads of its other fields (lazy-free, discarded, baseline
/// by <c>lazyfree_discard</c> and stores) do not depend on free versus reused.</para>
///
/// <para>What a class cannot be permuted soundly over is refused in the plan instead: an <c>alias Q P</c> singles out
/// Q and P (Q's PTE names P's cache frame by index), and <c>madvise_free</c> singles out its pages (it widens the
/// gather by D, which differs between pages of a class, while gather ranges are copied unpermuted).</para>
/// </summary>
internal sealed partial class StateCanonicalizer
{
    private readonly bool dirty;
    private readonly int[] numberStamp; // frame numbers of the representative taken by page-cache frames

    private void PermuteDirtyWords(ModelState s)
    {
        var w = s.W;
        var tw = t.W;
        tw[t.PteDirty] = Permute(w[s.PteDirty]);
        tw[t.PteProtnone] = Permute(w[s.PteProtnone]);
        for (int c = 0; c < cpus; c++) tw[t.TlbDirty + c] = Permute(w[s.TlbDirty + cpuAt[c]]);
        for (int d = 0; d < devices; d++) tw[t.IotlbDirty + d] = Permute(w[s.IotlbDirty + devAt[d]]);
        for (int k = 0; k < threads; k++)
        {
            tw[t.ClearedDirty + k] = Permute(w[s.ClearedDirty + k]);
            tw[t.ClearedWritable + k] = Permute(w[s.ClearedWritable + k]);
            tw[t.Pinned + k] = Permute(w[s.Pinned + k]);
            tw[t.Delayed + k] = Permute(w[s.Delayed + k]);
        }
    }

    private void PermuteDirtySlots(ModelState s)
    {
        var i = s.I;
        var ti = t.I;
        for (int k = 0; k < threads; k++)
            for (int p = 0; p < pages; p++)
            {
                ti[t.DelayedFrame + k * pages + pageTo[p]] = i[s.DelayedFrame + k * pages + p];
                ti[t.PinFrame + k * pages + pageTo[p]] = i[s.PinFrame + k * pages + p];
            }
    }

    /// <summary>Page-cache frame P (cache index P) becomes frame π(P) of the representative, before any other frame
    /// is numbered; those numbers are taken out of the first-reference numbering.</summary>
    private void ReserveCacheFrames(ModelState s)
    {
        var i = s.I;
        int frames = Math.Min(i[s.FrameCount], pages);
        for (int f = 0; f < frames; f++)
        {
            if (i[s.FrameCache + f] == 0) continue;
            int to = pageTo[f];
            frameStamp[f] = stamp;
            frameTo[f] = to;
            numberStamp[to] = stamp;
        }
    }

    /// <summary>The next frame number of the representative no page-cache frame has taken.</summary>
    private int Take(ref int next)
    {
        while (next < numberStamp.Length && numberStamp[next] == stamp) next++;
        return next++;
    }

    private void MoveDirtyFrame(ModelState s, int f, int to)
    {
        var i = s.I;
        var ti = t.I;
        ti[t.FrameCache + to] = i[s.FrameCache + f];
        ti[t.FramePgDirty + to] = i[s.FramePgDirty + f];
        ti[t.FrameLazy + to] = i[s.FrameLazy + f];
        ti[t.FrameDiscarded + to] = i[s.FrameDiscarded + f];
        ti[t.FrameUnwritten + to] = i[s.FrameUnwritten + f];
        ti[t.FrameBaselineSet + to] = i[s.FrameBaselineSet + f];
        ti[t.FrameAtBaseline + to] = i[s.FrameAtBaseline + f];
        ti[t.FrameLastCleaner + to] = i[s.FrameLastCleaner + f];
    }

    /// <summary>A frame's §8 fields as one key (for ordering only: any order is sound).</summary>
    private static ulong DirtyFrameKey(ModelState s, int f)
    {
        var i = s.I;
        uint flags = (uint)(i[s.FrameCache + f] & 1) | (uint)(i[s.FramePgDirty + f] & 1) << 1 | (uint)(i[s.FrameLazy + f] & 1) << 2
            | (uint)(i[s.FrameDiscarded + f] & 1) << 3 | (uint)(i[s.FrameUnwritten + f] & 1) << 4
            | (uint)(i[s.FrameBaselineSet + f] & 1) << 5 | (uint)(i[s.FrameAtBaseline + f] & 1) << 6;
        return (ulong)(uint)(i[s.FrameLastCleaner + f] + 1) << 8 | flags;
    }

    /// <summary>How many cached entries of an element carry D, per page class (ordering only).</summary>
    private ulong DirtyMaskKey(ulong dirtyBits)
    {
        ulong key = dirtyBits & ~reducedPages;
        foreach (var c in plan.PageClasses)
        {
            int n = 0;
            foreach (int p in c.UnitPages) n += (int)(dirtyBits >> p & 1);
            key = Mix(key, (ulong)n);
        }
        return key;
    }

    /// <summary>What §8 stores about page <paramref name="p"/>, with frames described by their relation to the
    /// page's PTE and cache index (ordering only).</summary>
    private ulong DirtyPageRecord(ModelState s, int p, int pte)
    {
        var w = s.W;
        var i = s.I;
        ulong bits = (w[s.PteDirty] >> p & 1) | (w[s.PteProtnone] >> p & 1) << 1;
        ulong key = Mix(bits, pte < 0 ? 0 : DirtyFrameKey(s, pte) << 1 | (pte == p && i[s.FrameCache + p] != 0 ? 1UL : 0));
        // the page's own cache frame, mapped or not
        if (p < i[s.FrameCount] && i[s.FrameCache + p] != 0) key = Mix(key, DirtyFrameKey(s, p) | 1UL << 40);
        for (int c = 0; c < cpus; c++) key = Mix(key, w[s.TlbDirty + cpuAt[c]] >> p & 1);
        for (int d = 0; d < devices; d++) key = Mix(key, w[s.IotlbDirty + devAt[d]] >> p & 1);
        for (int k = 0; k < threads; k++)
        {
            ulong tb = (w[s.ClearedDirty + k] >> p & 1) | (w[s.ClearedWritable + k] >> p & 1) << 1
                | (w[s.Pinned + k] >> p & 1) << 2 | (w[s.Delayed + k] >> p & 1) << 3;
            int delayed = i[s.DelayedFrame + k * pages + p], pin = i[s.PinFrame + k * pages + p];
            key = Mix(key, tb << 16 | Relation(s, delayed, pte, p) << 8 | Relation(s, pin, pte, p));
        }
        return key;
    }

    private static ulong Relation(ModelState s, int frame, int pte, int p) =>
        frame < 0 ? 0UL : frame == pte ? 1UL : frame == p && s.I[s.FrameCache + p] != 0 ? 2UL : 3UL;
}
