namespace Checker.Vocabulary;

/// <summary>How a shared-table (SVA) driver reads <c>invalidate_range(start, end)</c> (DESIGN §3.3).</summary>
public enum DriverFlavor : byte
{
    /// <summary>Drops [start, end); nothing when start ≥ end.</summary>
    Exact,

    /// <summary>AMD IOMMUv2 (<c>mn_invalidate_range</c>): one page if <c>(start ^ (end - 1)) &lt; PAGE_SIZE</c>, else everything.</summary>
    Amd,

    /// <summary>Intel SVM (<c>intel_invalidate_range</c>): <c>(end - start + PAGE_SIZE - 1) &gt;&gt; 12</c> pages from start.</summary>
    Intel,

    /// <summary>Intel with the 6.6 special case: (0, -1) flushes everything.</summary>
    IntelFixed,

    /// <summary>SMMUv3 without BTM (<c>arm_smmu_mm_invalidate_range</c>): size = end - start; size 0 skips the IOTLB.</summary>
    Smmu,

    /// <summary>SMMUv3 with the fix: size 0 or ≥ 2^48 invalidates the whole ASID.</summary>
    SmmuFixed,

    /// <summary>SMMUv3 with broadcast TLB maintenance: every CPU TLBI also drops IOTLB entries; the hook drops nothing.</summary>
    SmmuBtm,
}
