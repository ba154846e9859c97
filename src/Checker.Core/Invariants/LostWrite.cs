namespace Checker.Invariants;

/// <summary>
/// <c>lost-write</c> (consequence): no write reaches a frame through a stale translation after a kernel thread
/// copied that frame (COW in wp_page_copy, KSM's compare, migration's copy): the copy would miss the write.
/// Documentation/mm/mmu_notifier.rst, case B: the secondary TLB must be invalidated before the new page is
/// made visible.
/// </summary>
internal static class LostWrite
{
    /// <summary>Called for an access through a stale translation.</summary>
    public static bool IsViolatedBy(bool write, bool frameCopied) => write && frameCopied;
}
