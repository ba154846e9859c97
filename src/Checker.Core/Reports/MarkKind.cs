namespace Checker.Reports;

/// <summary>What happened in a lane at a step (besides the acting lane's op).</summary>
public enum MarkKind : byte
{
    /// <summary>A translation was cached (a walk filled a TLB / IOTLB / sPTE entry).</summary>
    Cached,

    /// <summary>Entries were dropped (a flush, a secondary invalidation, a zap, a re-walk).</summary>
    Dropped,

    /// <summary>A cached translation became stale: more permissive than the PTE (DESIGN §3.5).</summary>
    Stale,

    /// <summary>An access went through a stale translation (§3.6 rule 7), or reached a frame not owned by the mm:
    /// <c>used f0w (stale)</c>, <c>used f0w (free)</c>.</summary>
    UsedStale,

    /// <summary>An access faulted and did not happen: the PTE is none, or read-only for a write (a device that
    /// keeps its entry on a fault says so: <c>fault p0, keeps f0r</c>).</summary>
    Fault,

    /// <summary>A fresh frame was handed to the mm (<c>pte_install</c>).</summary>
    Allocated,

    /// <summary>A frame was freed (its last reference dropped).</summary>
    Freed,

    /// <summary>The allocator handed a freed frame to another owner.</summary>
    Reused,

    /// <summary>Where the violated invariant broke.</summary>
    Violation,

    // §8 dirty data (issue 13)
    /// <summary>Dirty data: a store that set the PTE's D (<c>sets D p0</c>) or went through an entry that cached D = 1
    /// and set nothing (<c>store skips D p0</c>), a writeback (<c>writeback f0 v1</c>), a discard (<c>discard f0</c>).</summary>
    Dirty,
    // issue 15: the root cause of a stale-secondary-after-flush
    /// <summary>The CPU flush after which the secondary was not invalidated: where the secondary invalidation belongs.</summary>
    RootCause,
}
