namespace Checker.Invariants;

/// <summary>
/// <c>lost-dirty</c> (consequence, DESIGN §8.4): the dirty state that writeback and reclaim trust misses a store,
/// or reclaim drops data. (a) After a step, a page-cache frame holds data not on disk while PG_dirty is clear and no
/// present PTE mapping it is dirty — writeback will never write it (a store through a TLB entry that cached D = 1
/// after the PTE was cleaned or cleared: the CPU does not set D again, SDM Vol. 3A §4.8). Frames a thread has pinned
/// are skipped: the pin's holder promises set_page_dirty() before unpin_user_page(). (b) try_to_unmap_one() discards a
/// lazy-free frame written since MADV_FREE returned, or a write reaches a discarded frame after MADV_FREE returned.
/// Kernel: 1cf35d47712d (zap flushes dirty shared PTEs under the PTL), 5df397dec7c4 (delayed rmaps), 5d1904204c99
/// (mremap), 6c8e2a256915 (MADV_FREE and GUP).
/// </summary>
internal static class LostDirty
{
    /// <summary>Clause (a) for one page-cache frame.</summary>
    public static bool DirtLost(bool contentOnDisk, bool pgDirty, bool dirtyPteMapsIt, bool pinned) =>
        !contentOnDisk && !pgDirty && !dirtyPteMapsIt && !pinned;

    /// <summary>Clause (b) at a discard: the frame's baseline is set and its content moved away from it.</summary>
    public static bool DiscardLosesData(bool baselineSet, bool atBaseline) => baselineSet && !atBaseline;

    /// <summary>Clause (b) at a write: the frame was discarded after its baseline was set.</summary>
    public static bool WriteToDiscarded(bool discarded, bool baselineSet) => discarded && baselineSet;
}
