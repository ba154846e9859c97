using Checker.Exploration;
using Checker.Generators;
using Checker.Language;
using Checker.Model;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Properties.Laws;

/// <summary>
/// §7 law 28 (issue 12), hugetlb PMD sharing unshared by mm 0: once mm 0's PUD is none while mm 1 keeps the PMD
/// table, a CPU of mm 0 fills a translation only through a walk entry it cached before (W1, or W2 into the table
/// mm 1 kept), and a fill through W2 maps what mm 1's table maps now. Over <see cref="TreeGen"/> orderings with
/// <c>mm2 shared-pmd</c> and a thread that unshares on mm 0, with a companion test that plants a walk starting at
/// mm 1's PUD.
/// </summary>
public class UnshareLaws(ITestOutputHelper output)
{
    /// <summary>A TreeGen ordering with mm 1 sharing the PMD table and one more thread of mm 0 that unshares it.</summary>
    private static Arbitrary<Ordering> Orderings() => Arb.From(
        from text in TreeGen.Text(directFrees: true, gup: false)
        let shared = text.Replace("pagetables\n", "pagetables\nmm2 shared-pmd\n", StringComparison.Ordinal) + "thread un\n  huge_pmd_unshare 0\n"
        select OrderingParser.Parse(shared, "u.order").Ordering!);

    internal static Property FillsAfterTheUnshareGoThroughCachedEntries(StepFunction step) =>
        TreeLaws.StepLaw(Orderings(), step, (m, choice, before, _) => Check(m, choice, before),
            "after mm 0 unshares, its CPUs fill only through cached walk entries, reading mm 1's table");

    private static string? Check(Machine m, Choice choice, TreeLaws.Snapshot before)
    {
        var a = m.Program.Actors[choice.Actor];
        var s = m.State;
        if (a.Kind != ActorKind.Cpu || choice.Page >= s.Pages) return null;
        if (s.I[s.Pud] >= 0 || s.I[s.Pud1] < 0 || s.I[s.Mm1Copied] == 0) return null; // mm 0 has not unshared
        var tree = s.Tree!;
        int c = a.Unit, p = choice.Page, r = tree.RegionOf(p);
        ulong bit = 1UL << p;
        if ((before.Leaves[c] & bit) != 0 || (s.W[s.TlbValid + c] & bit) == 0) return null; // not a fill
        int w2 = before.Walks[c * (1 + tree.Regions)], w1 = before.Walks[c * (1 + tree.Regions) + 1 + r];
        if (w1 < 0 && w2 < 0) return $"cpu{c} filled page {p} though mm 0's PUD is none and it had no walk entry";
        if (w1 >= 0 || w2 != s.I[s.Pud1] || s.I[s.Mm1Kind + r] != ModelState.PmdHuge) return null;
        int expected = s.I[s.Mm1Frame + p], got = s.I[s.TlbFrame + c * s.Pages + p];
        return got == expected ? null : $"cpu{c} filled page {p} with f{got} through W2, but mm 1's table maps f{expected}";
    }

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property AfterMm0UnsharesItsCpusFillOnlyThroughCachedWalkEntries() => FillsAfterTheUnshareGoThroughCachedEntries(Steps.Real);

    [Fact]
    public void TheUnshareLawCatchesAWalkThatStartsAtTheOtherMmsPud()
    {
        string? report = Falsify.Run(FillsAfterTheUnshareGoThroughCachedEntries(StartsAtMm1sPud), maxTest: 300);
        Assert.True(report is not null, "the unshare law did not catch a walk of mm 0 that starts at mm 1's PUD");
        output.WriteLine(report);
    }

    /// <summary>Planted: with mm 0's PUD none, a CPU walk of mm 0 starts at mm 1's PUD (as if the unshare had left
    /// mm 0 pointing at the table): the CPU's W2 is set to mm 1's table just before the step.</summary>
    private static readonly StepFunction StartsAtMm1sPud = (m, choice) =>
    {
        var s = m.State;
        var a = m.Program.Actors[choice.Actor];
        if (a.Kind == ActorKind.Cpu && choice.Page < s.Pages && s.I[s.Pud] < 0 && s.I[s.Pud1] >= 0 && s.I[s.TlbW2 + a.Unit] < 0)
            s.I[s.TlbW2 + a.Unit] = s.I[s.Pud1];
        return m.Step(choice);
    };
}
