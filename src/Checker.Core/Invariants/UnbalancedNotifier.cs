namespace Checker.Invariants;

/// <summary>
/// <c>unbalanced-notifier</c> (protocol): each <c>invalidate_range_end</c> closes the thread's most recent open
/// <c>invalidate_range_start</c> over the same range, and no thread returns inside a start/end. Shadow MMUs
/// count active invalidations (mm/mmu_notifier.c active_invalidate_ranges; KVM mmu_invalidate_in_progress):
/// an unpaired start blocks their faults forever, an unpaired end unblocks them too early.
/// </summary>
internal static class UnbalancedNotifier
{
    public static bool Matches(ulong openStart, ulong openEnd, ulong start, ulong end) => openStart == start && openEnd == end;
}
