using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Model;

/// <summary>
/// What each driver flavor drops for <c>invalidate_range(start, end)</c> (DESIGN §3.3, §3.6 rule 12), as a
/// mask of user pages. Unsigned 64-bit arithmetic with wrap-around, exactly as the drivers computed it.
/// </summary>
internal static class DriverArithmetic
{
    private const ulong Size48 = 1UL << 48;

    public static ulong Dropped(DriverFlavor flavor, ulong start, ulong end, int pages)
    {
        ulong all = pages == 64 ? ulong.MaxValue : (1UL << pages) - 1;
        unchecked
        {
            switch (flavor)
            {
                case DriverFlavor.Exact:
                    return start >= end ? 0 : Interval(start, end - start, pages);

                case DriverFlavor.Amd:
                    // drivers/iommu/amd/iommu_v2.c mn_invalidate_range: one page when the range lies in one page
                    if ((start ^ (end - 1)) < Bound.PageSize)
                        return Interval(start & ~(Bound.PageSize - 1), Bound.PageSize, pages);
                    return all;

                case DriverFlavor.Intel:
                case DriverFlavor.IntelFixed:
                    // drivers/iommu/intel/svm.c intel_invalidate_range: pages = (end - start + PAGE_SIZE - 1) >> 12
                    if (flavor == DriverFlavor.IntelFixed && start == 0 && end == ulong.MaxValue) return all;
                    if (end <= start) return 0;
                    ulong count = (end - start + Bound.PageSize - 1) >> Bound.PageShift;
                    return Interval(start, count << Bound.PageShift, pages);

                case DriverFlavor.Smmu:
                {
                    // arm-smmu-v3-sva.c arm_smmu_mm_invalidate_range: size 0 only reaches the ATC
                    ulong size = end - start;
                    return size == 0 ? 0 : Interval(start, size, pages);
                }

                case DriverFlavor.SmmuFixed:
                {
                    ulong size = end - start;
                    return size == 0 || size >= Size48 ? all : Interval(start, size, pages);
                }

                default: // SmmuBtm: the IOTLB follows the CPU's broadcast TLBI; the hook drops nothing
                    return 0;
            }
        }
    }

    /// <summary>User pages whose 4 KiB overlaps the byte interval [start, start + length) taken modulo 2^64.</summary>
    public static ulong Interval(ulong start, ulong length, int pages)
    {
        if (length == 0) return 0;
        ulong mask = 0;
        unchecked
        {
            for (int p = 0; p < pages; p++)
            {
                ulong lo = (ulong)p << Bound.PageShift;
                if (lo - start < length || start - lo < Bound.PageSize) mask |= 1UL << p;
            }
        }
        return mask;
    }
}
