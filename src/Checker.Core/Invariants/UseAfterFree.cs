
namespace Checker.Invariants;

/// <summary>
/// <c>use-after-free</c> (consequence): no CPU, device or shadow access reaches a frame that is free or owned
/// by another. The kernel frees a page only after every TLB that can reach it was flushed (mmu_gather:
/// flush, then free — mm/mmu_gather.c tlb_flush_mmu; the CPU-side mremap twin was CVE-2018-18281).
/// </summary>
internal static class UseAfterFree
{
    /// <summary>True when the frame an access reached is not the mm's (free, or handed to another owner).</summary>
    public static bool IsViolatedBy(bool ownedByMm) => !ownedByMm;
}
