namespace Checker.Invariants;

/// <summary>
/// <c>invalid-notifier-range</c> (protocol): every notifier or secondary-invalidation call passes
/// [start, end) with start &lt; end ≤ TASK_SIZE, or the "everything" range (0, ~0). The nested
/// tlb_finish_mmu sent (~0, ~0) from 7a30df49f63a (v5.2) until 6.6 (Horn, linux-mm, 2022-09-23): AMD flushed
/// one page, Intel none, SMMUv3 skipped the IOTLB. Checked only while a secondary is attached (§3.6 rule 3).
/// </summary>
internal static class InvalidNotifierRange
{
    public static bool IsValid(ulong start, ulong end, ulong userEnd) =>
        (start == 0 && end == ulong.MaxValue) || (start < end && end <= userEnd);
}
