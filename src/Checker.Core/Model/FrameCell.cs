namespace Checker.Model;

/// <summary>A frame the story of the run involves: its owner, its reference count and whether a kernel thread
/// copied it (<c>copy_page</c>, a permanent mark).</summary>
public readonly record struct FrameCell(int Frame, FrameOwner Owner, int References, bool Copied)
{
    /// <summary>§8: the dirty-data state of the frame, or null when the ordering uses no §8 line.</summary>
    public DirtyFrame? Dirty { get; init; }
}

/// <summary>§8: a frame's dirty-data state: in the page cache (with PG_dirty, the content version and the version on
/// disk), lazy-free (with its baseline, -1 while unset), discarded, pinned by some thread.</summary>
public readonly record struct DirtyFrame(bool InCache, bool PgDirty, int Content, int Disk, bool Lazyfree, int Baseline, bool Discarded, bool Pinned);
