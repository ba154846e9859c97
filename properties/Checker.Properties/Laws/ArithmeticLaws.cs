using Checker.Model;
using Checker.Vocabulary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Properties.Laws;

/// <summary>
/// Law 1: every driver flavor's range arithmetic (<see cref="DriverArithmetic.Dropped"/>) equals a plain
/// reference written from DESIGN §3.3 and §3.6 rule 12 alone, on random 64-bit (start, end) pairs biased to
/// the edges: 0, ~0, page boundaries and their neighbours, wrap-around (end &lt; start), sizes at 2^48.
/// </summary>
public class ArithmeticLaws(ITestOutputHelper output)
{
    public delegate ulong DroppedFunction(DriverFlavor flavor, ulong start, ulong end, int pages);

    private const ulong Page = 4096;
    private const ulong Size48 = 1UL << 48;

    public sealed record Case(DriverFlavor Flavor, ulong Start, ulong End, int Pages)
    {
        public override string ToString() => $"{Flavor} (0x{Start:x}, 0x{End:x}) over {Pages} pages";
    }

    /// <summary>Addresses near the edges the drivers get wrong: 0, ~0, page boundaries ±1, 2^48, the user pages.</summary>
    public static Gen<ulong> EdgeAddress() => Gen.Frequency(
        (2, Gen.Elements(0UL, ulong.MaxValue, ulong.MaxValue - Page + 1, Size48, Size48 - 1, Size48 + Page)),
        (4, from k in Gen.Choose(0, 66) from d in Gen.Elements(0L, 0L, 1L, -1L, 2048L) select unchecked((ulong)k * Page + (ulong)d)),
        (2, from k in Gen.Choose(0, 66) select unchecked(0UL - (ulong)k * Page)),
        (1, from hi in Gen.Choose(int.MinValue, int.MaxValue) from lo in Gen.Choose(int.MinValue, int.MaxValue)
            select ((ulong)(uint)hi << 32) | (uint)lo));

    /// <summary>Pairs the contract names: the kernel's "everything" (0, ~0), Horn's (~0, ~0), empty and
    /// nearly-everything ranges, sizes of exactly 2^48.</summary>
    public static Gen<(ulong, ulong)> NotablePair() => Gen.Elements(
        (0UL, ulong.MaxValue), (ulong.MaxValue, ulong.MaxValue), (0UL, 0UL), (1UL, ulong.MaxValue), (0x800UL, ulong.MaxValue - 0x7FF),
        (0x1000UL, Size48 + 0x1000), (0UL, Size48), (Size48, 0UL), (ulong.MaxValue - 0x7FF, ulong.MaxValue), (ulong.MaxValue, 0x1000UL));

    /// <summary>An address in or just past the user pages, on or near a page boundary.</summary>
    public static Gen<ulong> UserAddress(int pages) =>
        from k in Gen.Choose(0, pages)
        from d in Gen.Elements(0L, 0L, 1L, -1L, 2048L)
        select unchecked((ulong)k * Page + (ulong)d);

    public static Gen<Case> Cases() => Gen.Frequency(
        (1, from flavor in Gen.Elements(Enum.GetValues<DriverFlavor>())
            from pair in NotablePair()
            from pages in Gen.Choose(1, 64)
            select new Case(flavor, pair.Item1, pair.Item2, pages)),
        (6, EdgeCases()));

    private static Gen<Case> EdgeCases() =>
        from flavor in Gen.Elements(Enum.GetValues<DriverFlavor>())
        from pages in Gen.Frequency((3, Gen.Choose(1, 8)), (1, Gen.Choose(9, 64)))
        from start in Gen.Frequency((1, EdgeAddress()), (1, UserAddress(pages)))
        from endKind in Gen.Choose(0, 7)
        from other in EdgeAddress()
        from small in Gen.Choose(0, 9)
        from nudge in Gen.Elements(0L, 0L, 1L, -1L, 2048L)
        select new Case(flavor, start, endKind switch
        {
            0 => start,                                       // size 0
            1 => unchecked(start + Size48),                   // size exactly 2^48
            2 => unchecked(start + Page),                     // one page
            3 => start == 0 ? other : unchecked(start - 1),   // wraps: end < start
            4 or 5 => unchecked(start + (ulong)small * Page + (ulong)nudge), // a few pages
            _ => other,
        }, pages);

    public static Arbitrary<Case> Arbitrary() => Arb.From(Cases(), Shrink);

    private static IEnumerable<Case> Shrink(Case c)
    {
        if (c.Pages > 1) yield return c with { Pages = 1 };
        if (c.Pages > 4) yield return c with { Pages = 4 };
        if (c.Start != 0) yield return c with { Start = 0 };
        if (c.End != 0) yield return c with { End = 0 };
        if (c.Start % Page != 0) yield return c with { Start = c.Start - c.Start % Page };
        if (c.End % Page != 0) yield return c with { End = c.End - c.End % Page };
    }

    /// <summary>The law, for any implementation of the arithmetic.</summary>
    public static Property MatchesTheReference(DroppedFunction dropped) =>
        Prop.ForAll(Arbitrary(), c =>
        {
            ulong expected = Reference(c.Flavor, c.Start, c.End, c.Pages);
            ulong actual = dropped(c.Flavor, c.Start, c.End, c.Pages);
            ulong all = AllPages(c.Pages);
            return (actual == expected).Label($"{c}: dropped 0x{actual:x}, the reference 0x{expected:x}")
                .Classify(c.End < c.Start, "wrap-around (end < start)")
                .Classify(c.End == c.Start, "size 0")
                .Classify(c.Start == 0 && c.End == ulong.MaxValue, "(0, ~0)")
                .Classify(unchecked(c.End - c.Start) >= Size48, "size >= 2^48")
                .Classify(expected == 0, "drops nothing")
                .Classify(expected == all, "drops everything")
                .Classify(expected != 0 && expected != all, "drops some pages")
                .Collect(Words(c.Flavor));
        });

    [Property(MaxTest = 1000, QuietOnSuccess = false)]
    public Property DriverArithmeticMatchesAPlainReferenceOnEdgeRanges() => MatchesTheReference(DriverArithmetic.Dropped);

    public static TheoryData<string> PlantedBugs() => ["intel without the wrap", "smmu-fixed with > 2^48", "amd with end instead of end - 1", "exact with <= end"];

    [Theory]
    [MemberData(nameof(PlantedBugs))]
    public void TheArithmeticLawCatchesAPlantedBug(string bug)
    {
        DroppedFunction broken = bug switch
        {
            // pages computed without 64-bit wrap: (0, ~0) would drop everything, as intel-fixed does
            "intel without the wrap" => (f, s, e, n) => f == DriverFlavor.Intel && e > s
                ? DriverArithmetic.Interval(s, (ulong)UInt128.Min(((UInt128)(e - s) + Page - 1) >> 12 << 12, ulong.MaxValue), n)
                : DriverArithmetic.Dropped(f, s, e, n),
            // the fix's comparison written as > instead of >=: a size of exactly 2^48 is not "everything"
            "smmu-fixed with > 2^48" => (f, s, e, n) => f == DriverFlavor.SmmuFixed && unchecked(e - s) == Size48
                ? DriverArithmetic.Interval(s, Size48, n)
                : DriverArithmetic.Dropped(f, s, e, n),
            "amd with end instead of end - 1" => (f, s, e, n) => f == DriverFlavor.Amd
                ? ((s ^ e) < Page ? DriverArithmetic.Interval(s & ~(Page - 1), Page, n) : AllPages(n))
                : DriverArithmetic.Dropped(f, s, e, n),
            _ => (f, s, e, n) => f == DriverFlavor.Exact && s < e
                ? DriverArithmetic.Interval(s, e - s + 1, n)
                : DriverArithmetic.Dropped(f, s, e, n),
        };
        string? report = Falsify.Run(MatchesTheReference(broken), maxTest: 3000);
        Assert.True(report is not null, $"the arithmetic law did not catch '{bug}'");
        output.WriteLine(report);
    }

    // ---- the reference: DESIGN §3.3 / §3.6 rule 12, written plainly with 128-bit numbers ----

    private static readonly UInt128 Two64 = (UInt128)1 << 64;

    /// <summary>What a flavor drops, from the contract's table.</summary>
    public static ulong Reference(DriverFlavor flavor, ulong start, ulong end, int pages)
    {
        ulong all = AllPages(pages);
        UInt128 size = ((UInt128)end + Two64 - start) % Two64; // end - start, modulo 2^64
        switch (flavor)
        {
            case DriverFlavor.Exact:
                return start >= end ? 0 : PagesIn(start, size, pages);
            case DriverFlavor.Amd:
            {
                ulong last = (ulong)(((UInt128)end + Two64 - 1) % Two64);
                return (start ^ last) < Page ? PagesIn(start / Page * Page, Page, pages) : all;
            }
            case DriverFlavor.Intel:
            case DriverFlavor.IntelFixed:
            {
                if (flavor == DriverFlavor.IntelFixed && start == 0 && end == ulong.MaxValue) return all;
                if (end <= start) return 0;
                UInt128 count = (size + Page - 1) % Two64 / Page;
                return PagesIn(start, count * Page, pages);
            }
            case DriverFlavor.Smmu:
                return size == 0 ? 0 : PagesIn(start, size, pages);
            case DriverFlavor.SmmuFixed:
                return size == 0 || size >= Size48 ? all : PagesIn(start, size, pages);
            default:
                return 0;
        }
    }

    /// <summary>User pages (page p = bytes [p·4096, p·4096 + 4096)) meeting the bytes [start, start + length)
    /// taken modulo 2^64: the interval is cut at 2^64 into at most two ordinary intervals.</summary>
    private static ulong PagesIn(ulong start, UInt128 length, int pages)
    {
        if (length == 0) return 0;
        if (length > Two64) length = Two64;
        UInt128 end = start + length;
        var pieces = end <= Two64 ? new[] { ((UInt128)start, end) } : [((UInt128)start, Two64), (UInt128.Zero, end - Two64)];
        ulong mask = 0;
        for (int p = 0; p < pages; p++)
        {
            UInt128 lo = (UInt128)(ulong)p * Page, hi = lo + Page;
            foreach (var (a, b) in pieces)
                if (a < hi && lo < b) mask |= 1UL << p;
        }
        return mask;
    }

    private static ulong AllPages(int pages) => pages == 64 ? ulong.MaxValue : (1UL << pages) - 1;

    private static string Words(DriverFlavor f) => Checker.Language.Words.Of(f);
}
