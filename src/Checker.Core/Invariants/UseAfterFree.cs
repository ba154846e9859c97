using Checker.Model;

namespace Checker.Invariants;

/// <summary>
/// <c>use-after-free</c> (consequence): no CPU, device or shadow access reaches a frame that is free or owned
/// by another. The kernel frees a page only after every TLB that can reach it was flushed (mmu_gather:
/// flush, then free — mm/mmu_gather.c tlb_flush_mmu; the CPU-side mremap twin was CVE-2018-18281).
/// </summary>
public static class UseAfterFree
{
    public static bool IsViolatedBy(int frameOwner) => frameOwner != ModelState.OwnerMm;
}
