using Checker.Model;
using Xunit;
using Checker.Vocabulary;

namespace Checker.Properties.Model;

/// <summary>Every flavor's arithmetic (DESIGN §3.3, §3.6 rule 12) on (~0,~0), (0,~0), start == end and an
/// ordinary range, with 4 user pages (all = 0b1111).</summary>
public class DriverArithmeticTests
{
    private const ulong Max = ulong.MaxValue;
    private const ulong All = 0b1111;
    private const int Pages = 4;

    public static TheoryData<DriverFlavor, ulong, ulong, ulong> Cases => new()
    {
        // exact: [start, end), nothing when start >= end
        { DriverFlavor.Exact, Max, Max, 0 },
        { DriverFlavor.Exact, 0, Max, All },
        { DriverFlavor.Exact, 0x2000, 0x2000, 0 },
        { DriverFlavor.Exact, 0x1000, 0x3000, 0b0110 },
        // amd: one page when (start ^ (end - 1)) < 4096 (the page at ~0 is no user page), else everything
        { DriverFlavor.Amd, Max, Max, 0 },
        { DriverFlavor.Amd, 0, Max, All },
        { DriverFlavor.Amd, 0x2000, 0x2000, All },
        { DriverFlavor.Amd, 0x1000, 0x3000, All },
        { DriverFlavor.Amd, 0x1000, 0x2000, 0b0010 },
        // intel: (end - start + 4095) >> 12 pages from start; both "everything" ranges drop nothing
        { DriverFlavor.Intel, Max, Max, 0 },
        { DriverFlavor.Intel, 0, Max, 0 },
        { DriverFlavor.Intel, 0x2000, 0x2000, 0 },
        { DriverFlavor.Intel, 0x1000, 0x3000, 0b0110 },
        { DriverFlavor.Intel, 0x3000, 0x1000, 0 },
        // intel-fixed: (0, ~0) drops everything
        { DriverFlavor.IntelFixed, Max, Max, 0 },
        { DriverFlavor.IntelFixed, 0, Max, All },
        { DriverFlavor.IntelFixed, 0x2000, 0x2000, 0 },
        { DriverFlavor.IntelFixed, 0x1000, 0x3000, 0b0110 },
        // smmu: size = end - start; size 0 leaves the IOTLB alone
        { DriverFlavor.Smmu, Max, Max, 0 },
        { DriverFlavor.Smmu, 0, Max, All },
        { DriverFlavor.Smmu, 0x2000, 0x2000, 0 },
        { DriverFlavor.Smmu, 0x1000, 0x3000, 0b0110 },
        { DriverFlavor.Smmu, 0x3000, 0x1000, 0b1001 },
        // smmu-fixed: size 0 or >= 2^48 drops everything
        { DriverFlavor.SmmuFixed, Max, Max, All },
        { DriverFlavor.SmmuFixed, 0, Max, All },
        { DriverFlavor.SmmuFixed, 0x2000, 0x2000, All },
        { DriverFlavor.SmmuFixed, 0x1000, 0x3000, 0b0110 },
        // smmu-btm: the hook itself drops nothing (the CPU's TLBI does)
        { DriverFlavor.SmmuBtm, Max, Max, 0 },
        { DriverFlavor.SmmuBtm, 0, Max, 0 },
        { DriverFlavor.SmmuBtm, 0x2000, 0x2000, 0 },
        { DriverFlavor.SmmuBtm, 0x1000, 0x3000, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FlavorDropsExactlyTheseUserPages(DriverFlavor flavor, ulong start, ulong end, ulong expected) =>
        Assert.Equal(expected, DriverArithmetic.Dropped(flavor, start, end, Pages));

    [Fact]
    public void IntelWrapsTheByteIntervalModulo2To64()
    {
        // (~0 - start + 4095) >> 12 = 1 page from start = 2^64 - 0x800: [start, start + 4096) wraps onto page 0
        ulong start = ulong.MaxValue - 0x7FF;
        Assert.Equal(0b0001UL, DriverArithmetic.Dropped(DriverFlavor.Intel, start, ulong.MaxValue, Pages));
    }

    [Fact]
    public void MidPageRangesDropEveryPageTheyOverlap() =>
        Assert.Equal(0b0110UL, DriverArithmetic.Dropped(DriverFlavor.Exact, 0x1800, 0x2800, Pages));
}
