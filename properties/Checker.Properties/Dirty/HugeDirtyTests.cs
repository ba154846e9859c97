using Checker.Invariants;
using Checker.Vocabulary;
using Checker.Language;
using Checker.Model;
using Xunit;
using static Checker.Properties.Support.Models;

namespace Checker.Properties.Dirty;

/// <summary>
/// Issue 12 (THP split, docs/model.md "Lazy-free huge pages"): the D of a huge PMD over lazy-free frames, row by row —
/// a write walk sets it for the whole region and the filled entries cache it; a PMD op that takes the entry away
/// moves it to PG_dirty; split_huge_pmd moves it to PG_dirty and installs clean PTEs, in one step from 4.16 and in
/// two before (the read of pmd_dirty(*pmd), then the invalidation). Each rule has a schedule that violates
/// <c>lost-dirty</c> and one that does not, or reads the state a wrong rule would change.
/// </summary>
public sealed class HugeDirtyTests
{
    private static string Header(string kernel) => $"kernel {kernel}\narch x86\npages 2\nhugepage 2\nhuge 0 2\nlazyfree 0 2\ncpus 1\n";

    private const string Reclaim = "thread r\n  split_huge_pmd 0\n  ptep_clear_flush 0\n  lazyfree_discard 0\n";

    private static bool PteD(Machine m, int p) => (m.State.W[m.State.PteDirty] >> p & 1) != 0;
    private static bool TlbD(Machine m, int p) => (m.State.W[m.State.TlbDirty] >> p & 1) != 0;
    private static bool PgDirty(Machine m, int f) => m.State.I[m.State.FramePgDirty + f] != 0;
    private static int Pc(Machine m, int t = 0) => m.State.I[m.State.Pc + t];

    [Fact]
    public void AWriteWalkThroughTheHugePmdSetsItsDirtyBitForTheWholeRegion()
    {
        var (_, m) = RunWithMachine(Header("4.16") + "thread t\n  force_flush\n", "cpu0: write 0");
        Assert.True(PteD(m, 0) && PteD(m, 1));
        Assert.True(TlbD(m, 0) && TlbD(m, 1)); // the huge entry cached D for its whole region
    }

    [Fact]
    public void AReadWalkLeavesItCleanAndAStoreThroughTheCleanEntryWalksAgain()
    {
        var (_, m) = RunWithMachine(Header("4.16") + "thread t\n  force_flush\n", "cpu0: read 1");
        Assert.False(PteD(m, 0) || PteD(m, 1));
        Assert.False(TlbD(m, 0) || TlbD(m, 1));
        (_, m) = RunWithMachine(Header("4.16") + "thread t\n  force_flush\n", "cpu0: read 1\ncpu0: write 0");
        Assert.True(PteD(m, 0) && PteD(m, 1));
    }

    [Fact]
    public void AnUntrackedHugePageKeepsTheConstantDirtyBitAndNoSplitField()
    {
        var program = Compile("kernel 4.15\narch x86\npages 4\nhugepage 2\nhuge 0 2\nlazyfree 2 4\ncpus 1\n" + Reclaim);
        Assert.Equal(-1, new ModelState(program).SplitRead);
        var (_, m) = RunWithMachine("kernel 4.15\narch x86\npages 4\nhugepage 2\nhuge 0 2\nlazyfree 2 4\ncpus 1\n" + Reclaim, "r*1");
        Assert.Equal(1, Pc(m)); // one step: the D of an anonymous huge page is the constant 1
    }

    [Fact]
    public void ClearingTheHugePmdMovesItsDirtyBitToPgDirtySoReclaimKeepsTheStore()
    {
        string threads = "thread r\n  pmdp_huge_clear_flush 0\n  lazyfree_discard 0\n";
        var (result, m) = RunWithMachine(Header("4.16") + threads, "cpu0: write 0\nr*2");
        AssertNoViolation(result);
        Assert.True(PgDirty(m, 0) && PgDirty(m, 1));
        Assert.False(PteD(m, 0) || PteD(m, 1));
        Assert.False(m.State.I[m.State.FrameDiscarded] != 0); // lazyfree_discard is a PTE op: nothing on a region with no PTE table
        // the same clear with no store: clean, discarded, nothing lost
        (result, m) = RunWithMachine(Header("4.16") + threads, "r*2");
        AssertNoViolation(result);
        Assert.False(PgDirty(m, 0));
    }

    [Fact]
    public void From416TheSplitIsOneStepAndCarriesTheDirtyBitItInvalidated()
    {
        var (result, m) = RunWithMachine(Header("4.16") + Reclaim, "cpu0: write 0\nr*1");
        AssertNoViolation(result);
        Assert.Equal(1, Pc(m));
        Assert.True(PgDirty(m, 0) && PgDirty(m, 1));
        Assert.False(PteD(m, 0) || PteD(m, 1)); // mk_pte: the new PTEs are clean
        // from 6.2 (e833bc503405) they carry the PMD's D as well; a clean PMD still gives clean PTEs
        (_, m) = RunWithMachine(Header("6.2") + Reclaim, "cpu0: write 0\nr*1");
        Assert.True(PteD(m, 0) && PteD(m, 1) && PgDirty(m, 0));
        (_, m) = RunWithMachine(Header("6.2") + Reclaim, "r*1");
        Assert.False(PteD(m, 0) || PteD(m, 1));
        Assert.Equal(ModelState.PmdTable, m.State.I[m.State.PmdKind]);
        // a store after the split walks the new PTE and sets its D; the reclaim keeps the page
        AssertNoViolation(Run(Header("4.16") + Reclaim, "r*1\ncpu0: write 0\nr*2"));
    }

    [Fact]
    public void Before416TheSplitReadsTheDirtyBitOneStepBeforeItInvalidatesAndLosesAStoreBetween()
    {
        var (_, m) = RunWithMachine(Header("4.15") + Reclaim, "r*1");
        Assert.Equal(0, Pc(m)); // the read of pmd_dirty(*pmd): the op is unfinished, the PMD still huge
        Assert.Equal(ModelState.PmdHuge, m.State.I[m.State.PmdKind]);
        AssertViolation(Run(Header("4.15") + Reclaim, "r*1\ncpu0: write 0\nr*3"), InvariantId.LostDirty, step: 5);
        // a store before the read is carried (SetPageDirty(page + i) from the D it read)
        (var result, m) = RunWithMachine(Header("4.15") + Reclaim, "cpu0: write 0\nr*4");
        AssertNoViolation(result);
        Assert.True(PgDirty(m, 0) && PgDirty(m, 1));
        // and from 4.16 the same interleaving is one store before a one-step split
        AssertNoViolation(Run(Header("4.16") + Reclaim, "r*1\ncpu0: write 0\nr*2"));
    }

    [Fact]
    public void TwoSplitsInOneThreadEachTakeTheirTwoStepsBefore416()
    {
        const string two = "kernel 4.15\narch x86\npages 4\nhugepage 2\nhuge 0 4\nlazyfree 0 4\ncpus 1\nthread r\n  split_huge_pmd 0\n  split_huge_pmd 2\n";
        var (_, m) = RunWithMachine(two, "r*3\ncpu0: write 2");
        Assert.Equal(1, Pc(m)); // the second split has read D = 0 and not finished
        Assert.True(PteD(m, 2) && PteD(m, 3));
        (var result, m) = RunWithMachine(two, "r*3\ncpu0: write 2\nr*1");
        AssertNoViolation(result);
        Assert.Equal(2, Pc(m));
        Assert.Equal(ModelState.PmdTable, m.State.I[m.State.PmdKind + 1]);
        Assert.False(PgDirty(m, 2)); // the store between the read and the invalidation is lost
        Assert.Equal(0, m.State.I[m.State.SplitRead]);
    }

    [Fact]
    public void LazyfreeOverPartOfAHugeRegionIsAnError()
    {
        var result = OrderingParser.Parse(Header("4.16").Replace("lazyfree 0 2", "lazyfree 0 1") + Reclaim, "d.order");
        Assert.False(result.Ok);
        Assert.Contains("lazyfree 0 1 covers part of the huge page at page 0", result.Diagnostics[0].ToString());
    }

    [Fact]
    public void ALazyfreeHugePageWithMm2IsAnError()
    {
        var result = OrderingParser.Parse(Header("4.16") + "mm2\n" + Reclaim, "d.order");
        Assert.False(result.Ok);
        Assert.Contains("which mm2 cannot share", string.Join("\n", result.Diagnostics));
    }
}
