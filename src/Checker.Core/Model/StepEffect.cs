using Checker.Invariants;
using Checker.Text;
using Checker.Vocabulary;

namespace Checker.Model;

/// <summary>
/// Something a step did, as the machine reports it while it runs the step (into a <see cref="StepRecorder"/>;
/// never on the exploration path). A closed set of cases; consume it with a <c>switch</c>. Page sets are masks
/// (bit p = page p).
/// </summary>
public abstract record StepEffect
{
    private StepEffect()
    {
    }

    /// <summary>A PTE changed: cleared, downgraded, upgraded, filled or repointed (<see cref="PteChange"/>).</summary>
    public sealed record PteChanged(int Page, PteChange Change, PteCell Before, PteCell After) : StepEffect;

    /// <summary>The CPU half of a TLB flush over <see cref="Pages"/> (<see cref="Full"/>: a full-mm flush); the
    /// entries it dropped follow as <see cref="EntriesDropped"/>.</summary>
    public sealed record CpuFlush(ulong Pages, bool Full) : StepEffect;

    /// <summary>The secondary TLB hook reached the attached subscribers with (<see cref="Start"/>,
    /// <see cref="End"/>); <see cref="Dropped"/> holds, per device, the IOTLB pages its driver's arithmetic dropped.</summary>
    public sealed record SecondaryInvalidation(ulong Start, ulong End, EquatableArray<ulong> Dropped) : StepEffect;

    /// <summary>An mmu_notifier call other than the secondary TLB hook: <c>invalidate_range_start</c>,
    /// <c>invalidate_range_end</c>, <c>invalidate_range_only_end</c>, <c>change_pte</c> or <c>release</c>.</summary>
    public sealed record Notifier(OpCode Call, ulong Start, ulong End) : StepEffect;

    /// <summary>A lock was taken (<see cref="Acquired"/>) or dropped: <c>mmap_lock</c>, <c>ptl</c> or a named lock.</summary>
    public sealed record Lock(string Name, bool Acquired) : StepEffect;

    /// <summary>A translation was cached: a walk (or a shadow fault's commit) filled the entry of <see cref="Page"/>.</summary>
    public sealed record EntryCached(CacheUnit Cache, int Page, int Frame, bool Writable) : StepEffect;

    /// <summary>Entries of one cache were dropped (a flush, a secondary invalidation, a start's zap, release, or
    /// an access's re-walk after a permission fault).</summary>
    public sealed record EntriesDropped(CacheUnit Cache, ulong Pages) : StepEffect;

    /// <summary>An environment access reached <see cref="Frame"/> through the entry of <see cref="Page"/>
    /// (<see cref="EntryWritable"/>: that entry's permission). <see cref="Stale"/>: the PTE would not allow this
    /// access to this frame (§3.6 rule 7); <see cref="Owner"/>: who owned the frame when it was reached.</summary>
    public sealed record Access(CacheUnit Cache, int Page, bool Write, int Frame, bool EntryWritable, bool Stale, FrameOwner Owner) : StepEffect
    {
        /// <summary>A stale translation was used, or a frame the mm does not own was reached.</summary>
        public bool UsedStale => Stale || Owner != FrameOwner.Mm;
    }

    /// <summary>An access faulted and did not happen: the walk found the PTE none (<see cref="PtePresent"/>
    /// false) or read-only for a write; or a device that keeps its entry on a fault hit its read-only entry of
    /// <see cref="KeptFrame"/> (else -1) and kept it.</summary>
    public sealed record Fault(CacheUnit Cache, int Page, bool Write, bool PtePresent, int KeptFrame) : StepEffect;

    /// <summary>A fresh frame was handed to the mm (<c>pte_install</c>).</summary>
    public sealed record FrameAllocated(int Frame) : StepEffect;

    /// <summary>A frame's last reference was dropped: it is free.</summary>
    public sealed record FrameFreed(int Frame) : StepEffect;

    /// <summary>The allocator handed a freed frame to another owner.</summary>
    public sealed record FrameReused(int Frame) : StepEffect;

    /// <summary>An invariant broke at this step, where the machine saw it (the first of the step's violated
    /// invariants in §3.5 order is the violation; the others are co-violations).</summary>
    public sealed record Violated(InvariantId Id, ViolationSite Site) : StepEffect;

    // §7 the page-table tree

    /// <summary>§7: a page-table page was unlinked from the tree (its PMD or PUD entry cleared or moved).</summary>
    public sealed record TableUnlinked(int Table) : StepEffect;

    /// <summary>§7: a walk cached a pointer to page-table page <see cref="Table"/> (a W2, W1 or W1k walk entry).</summary>
    public sealed record WalkCached(CacheUnit Cache, int Table) : StepEffect;

    /// <summary>§7: a walk entry pointing at <see cref="Table"/> was dropped by a flush or an invalidation.</summary>
    public sealed record WalkDropped(CacheUnit Cache, int Table) : StepEffect;

    /// <summary>§7: GUP-fast walker <see cref="Walker"/> took step g<see cref="Phase"/> on <see cref="Page"/>.</summary>
    public sealed record GupStep(int Walker, int Phase, int Page) : StepEffect;
    // §8 dirty data (issue 13)
    /// <summary>A dirty-data event (<see cref="DirtyEvent"/>) over <see cref="Pages"/>; <see cref="Frame"/> the frame
    /// involved, or -1.</summary>
    public sealed record Dirty(DirtyEvent Event, ulong Pages, int Frame) : StepEffect;
}
