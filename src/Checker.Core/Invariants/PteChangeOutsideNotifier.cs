namespace Checker.Invariants;

/// <summary>
/// <c>pte-change-outside-notifier</c> (protocol): with a shadow secondary attached, a present PTE is cleared,
/// downgraded or repointed (and change_pte is called) only inside an active start/end whose range wholly
/// contains the page. Shadow MMUs copy PTEs and zap their copy at invalidate_range_start
/// (Documentation/mm/mmu_notifier.rst; KVM asserts an elevated count in change_pte, c13fda237f08).
/// </summary>
internal static class PteChangeOutsideNotifier
{
    /// <summary>The changed pages no active start/end covers.</summary>
    public static ulong Uncovered(ulong changed, ulong activeCover) => changed & ~activeCover;
}
