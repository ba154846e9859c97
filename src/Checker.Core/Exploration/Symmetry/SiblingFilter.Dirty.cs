using Checker.Model;

namespace Checker.Exploration.Symmetry;

/// <summary>
/// §8 dirty data in the sibling test (issue 14). The page masks §8 adds (D, protnone, cached D, cleared D and W,
/// pins, delayed rmaps) are compared with every other page mask already; here the per-page delayed-rmap and pin
/// frames are compared as frame slots, the frames' §8 fields as part of their record, and units that touch the
/// page cache are never dropped: swapping two units would have to swap cache indices (frame P is page P's cache
/// frame), which the slot-by-slot test does not check, so such a choice is kept (only pruning is lost).
/// </summary>
internal sealed partial class SiblingFilter
{
    /// <summary>Pages whose cache index holds a page-cache frame.</summary>
    private static ulong CachePages(ModelState s)
    {
        ulong mask = 0;
        int frames = Math.Min(s.I[s.FrameCount], s.Pages);
        for (int f = 0; f < frames; f++)
            if (s.I[s.FrameCache + f] != 0) mask |= 1UL << f;
        return mask;
    }

    private bool DirtySlotsAlike(ModelState s, int p, int q, ref int nextA, ref int nextB)
    {
        for (int x = 0; x < threads; x++)
        {
            if (!SlotAlike(s, s.DelayedFrame + x * pages + p, s.DelayedFrame + x * pages + q, ref nextA, ref nextB)) return false;
            if (!SlotAlike(s, s.PinFrame + x * pages + p, s.PinFrame + x * pages + q, ref nextA, ref nextB)) return false;
        }
        return true;
    }

    /// <summary>Equal §8 records, and neither a page-cache frame.</summary>
    private static bool DirtyFramesAlike(ModelState s, int fa, int fb)
    {
        var i = s.I;
        return i[s.FrameCache + fa] == 0 && i[s.FrameCache + fb] == 0
            && i[s.FramePgDirty + fa] == i[s.FramePgDirty + fb] && i[s.FrameLazy + fa] == i[s.FrameLazy + fb]
            && i[s.FrameDiscarded + fa] == i[s.FrameDiscarded + fb] && i[s.FrameUnwritten + fa] == i[s.FrameUnwritten + fb]
            && i[s.FrameBaselineSet + fa] == i[s.FrameBaselineSet + fb] && i[s.FrameAtBaseline + fa] == i[s.FrameAtBaseline + fb]
            && i[s.FrameLastCleaner + fa] == i[s.FrameLastCleaner + fb];
    }
}
