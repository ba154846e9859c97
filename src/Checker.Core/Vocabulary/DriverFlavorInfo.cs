namespace Checker.Vocabulary;

/// <summary>
/// The SVA driver flavors as data (DESIGN §3.3): the word, how the driver reads <c>invalidate_range(start, end)</c>,
/// the driver function and the commit the arithmetic comes from. <c>Model.DriverArithmetic</c> implements the rule.
/// </summary>
public sealed record DriverFlavorInfo(DriverFlavor Flavor, string Name, string Arithmetic, string DriverFunction, string Commit)
{
    private static readonly DriverFlavorInfo[] Table =
    [
        new(DriverFlavor.Exact, "exact", "drops [start, end); nothing when start >= end",
            "a reference driver (no kernel function)", "-"),
        new(DriverFlavor.Amd, "amd", "one page when (start ^ (end - 1)) < 4096, else everything",
            "drivers/iommu/amd/iommu_v2.c mn_invalidate_range", "e79df31c60ea (v3.19)"),
        new(DriverFlavor.Intel, "intel", "(end - start + 4095) >> 12 pages from start; (0, ~0) and (~0, ~0) drop nothing",
            "drivers/iommu/intel/svm.c intel_invalidate_range", "Intel SVM since v4.4"),
        new(DriverFlavor.IntelFixed, "intel-fixed", "as intel, but (0, ~0) drops everything",
            "drivers/iommu/intel/svm.c intel_arch_invalidate_secondary_tlbs", "e7ad6c2a4b1a"),
        new(DriverFlavor.Smmu, "smmu", "size = end - start; size 0 leaves the IOTLB untouched (only the ATC, folded into the IOTLB: nothing)",
            "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-sva.c arm_smmu_mm_invalidate_range", "SMMUv3 SVA, v5.10-v6.5"),
        new(DriverFlavor.SmmuFixed, "smmu-fixed", "size 0 or >= 2^48 invalidates the whole ASID, else [start, end)",
            "arm-smmu-v3-sva.c arm_smmu_mm_arch_invalidate_secondary_tlbs", "38b14e2e3de9 (v6.6)"),
        new(DriverFlavor.SmmuBtm, "smmu-btm", "every CPU flush drops the IOTLB range (broadcast TLBI); the hook itself drops nothing",
            "arm-smmu-v3-sva.c with ARM_SMMU_FEAT_BTM (the hook skips the IOTLB)", "SMMUv3 SVA, v5.10-v6.5"),
    ];

    /// <summary>Every flavor, in <see cref="DriverFlavor"/> order.</summary>
    public static IReadOnlyList<DriverFlavorInfo> All => Table;

    /// <summary>The row of a flavor.</summary>
    public static DriverFlavorInfo Of(DriverFlavor flavor) => Table[(int)flavor];
}
