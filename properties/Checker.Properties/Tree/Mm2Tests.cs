using Checker.Language;
using Checker.Model;
using Checker.Vocabulary;
using Xunit;
using static Checker.Properties.Support.Models;

namespace Checker.Properties.Tree;

/// <summary>
/// §7 <c>mm2 shared-pmd</c> (hugetlb PMD sharing): mm 1's PUD, huge_pmd_share / huge_pmd_unshare, GUP-fast of
/// mm 1, frame ownership per mm and §7.6 rule 4 per mm. Each test looks at what a neighbouring rule (unshare
/// always clears, the walker reads mm 0's PUD, a frame belongs to its creating mm only, every flush waits for
/// every walker) would leave differently.
/// </summary>
public sealed class Mm2Tests
{
    // frames: data 0-1, then t2 = mm 0's PMD table (shared); regions of one page, both huge
    private const string Shared = "arch x86\npages 2\nhugepage 1\nhuge 0 2\ncpus 0\nmm2 shared-pmd\ngup_fast mm 1\n";

    private const string Race = Shared + """
        thread u mm 1
          lock i_mmap
          huge_pmd_unshare 0
          unlock i_mmap
        thread z
          lock i_mmap
          tlb_gather_mmu
          zap_huge_pmd 0
          tlb_finish_mmu 0 1
          set_pmd_at 0
          unlock i_mmap
        """;

    private static string Fixed => Race.Replace("huge_pmd_unshare 0\n", "huge_pmd_unshare 0\n  tlb_remove_table_sync_one\n", StringComparison.Ordinal);

    private static (int Pud, int Pud1, int Ref) Puds(Machine m) => (m.State.I[m.State.Pud], m.State.I[m.State.Pud1], m.State.I[m.State.PmdRef]);

    [Fact]
    public void SharedPmdStartsWithMm1PointingAtMm0sTableRefcountTwo()
    {
        var (_, m) = RunWithMachine(Shared + "thread u mm 1\n  huge_pmd_unshare 0\n", "");
        Assert.Equal((2, 2, 2), Puds(m));
    }

    [Fact]
    public void UnshareClearsOnlyWhileSharedAndShareRepointsAtMm0sTable()
    {
        const string O = Shared + "thread u mm 1\n  huge_pmd_unshare 0\n  huge_pmd_unshare 0\n  huge_pmd_share 0\n";
        Assert.Equal((2, -1, 1), Puds(RunWithMachine(O, "u*1").Machine));
        Assert.Equal((2, -1, 1), Puds(RunWithMachine(O, "u*2").Machine)); // refcount 1: nothing
        Assert.Equal((2, 2, 2), Puds(RunWithMachine(O, "u*3").Machine));
    }

    /// <summary>Found by law 29 in CI: mm 0's free_pgtables over the whole span while mm 1 still shares the table
    /// dropped mm 0's PUD but left mm 1 writing the cells mm 0's view reads. It is the reference drop of
    /// huge_pmd_unshare: mm 1 keeps the table, mm 0's view goes none and stays so.</summary>
    [Fact]
    public void Mm0sFreePgtablesOfASharedTableLeavesMm1TheTable()
    {
        const string O = Shared + "thread z\n  tlb_gather_mmu\n  free_pgtables 0 2\n  tlb_finish_mmu 0 2\nthread u mm 1\n  pmdp_huge_get_and_clear 1\n  set_pmd_at 1\n";
        var m = RunWithMachine(O, "z*2").Machine;
        Assert.Equal((-1, 2, 1), Puds(m));
        Assert.Equal(0UL, m.State.W[m.State.PtePresent]); // mm 0 maps nothing in the span
        m = RunWithMachine(O, "z*2\nu*2").Machine; // mm 1 replaces its huge page
        Assert.Equal(0UL, m.State.W[m.State.PtePresent]);
        Assert.Equal((-1, 2, 1), Puds(m));
    }

    [Fact]
    public void GupFastOfMm1ReadsMm1sPud()
    {
        const string O = Shared + "thread u mm 1\n  huge_pmd_unshare 0\n";
        var before = RunWithMachine(O, "gup0: gup_fast 0").Machine;
        Assert.Equal(1, before.GupPhase(0));
        var after = RunWithMachine(O, "u*1\ngup0: gup_fast 0").Machine; // mm 0's PUD still points: mm 1's does not
        Assert.Equal(0, after.GupPhase(0));
    }

    [Fact]
    public void AGrabOfAFrameOnlyTheOtherMmMapsIsUseAfterFree()
    {
        // the walker entered before the unshare; the last sharer reuses the entry for a fresh huge page
        AssertViolation(Run(Race, "gup0: gup_fast 0\nu*3\nz*5\ngup0: g2"), InvariantId.UseAfterFree);
        // the same page installed while the table is still shared is mm 1's too
        AssertNoViolation(Run(Race, "z*5\ngup0: gup_fast 0\ngup0: g2"));
        // mapped at start: both mms'
        AssertNoViolation(Run(Race, "gup0: gup_fast 0\nu*3\ngup0: g2"));
    }

    [Fact]
    public void Mm0sFlushDoesNotWaitForMm1sWalkerButTheSyncDoes()
    {
        // x86: tlb_finish_mmu's IPIs go to mm 0's CPUs only, so it runs while mm 1's walker has IRQs off
        AssertNoViolation(Run(Race, "gup0: gup_fast 0\nz*5"));
        // tlb_remove_table_sync_one IPIs every CPU: not schedulable inside the window
        Assert.True(Run(Fixed, "gup0: gup_fast 0\nu*3").Diverged);
        AssertNoViolation(Run(Fixed, "gup0: gup_fast 0\ngup0: g2\nu*4\nz*6"));
    }

    [Fact]
    public void AWalkerOfMm0StillMakesMm0sX86FlushWait()
    {
        const string O = "arch x86\npages 2\nhugepage 1\nhuge 0 2\ncpus 0\nmm2 shared-pmd\ngup_fast\nthread z\n  tlb_gather_mmu\n  zap_huge_pmd 0\n  tlb_finish_mmu 0 1\n";
        Assert.True(Run(O, "gup0: gup_fast 0\nz*3").Diverged);
    }

    [Fact]
    public void AnOrderingWithoutMm2KeepsItsStateLayout()
    {
        const string O = "pages 2\nhugepage 1\nhuge 0 2\ncpus 0\ngup_fast\nthread z\n  tlb_gather_mmu\n  zap_huge_pmd 0\n  tlb_finish_mmu 0 1\n";
        var plain = new Machine(Compile(O)).State;
        var mm2 = new Machine(Compile(O.Replace("gup_fast\n", "gup_fast\nmm2 shared-pmd\n", StringComparison.Ordinal))).State;
        Assert.Equal(-1, plain.Pud1);
        Assert.Equal(-1, plain.Mm1Own);
        // Pud1; mm 1's entries: kind and table per region, frame per page; then (issue 12) Mm1Copied, PmdRef1 and mm 1's
        // seven counters (mmap readers and writer, tlb_flush_pending, tlb_flush_batched, active invalidations, seq, attached)
        Assert.Equal(plain.I.Length + 1 + 2 * 2 + 2 + 2 + 7, mm2.I.Length);
        // Mm1Own; mm 1's present and writable bits; then Mm0Not and mm 1's returned and active coverage
        Assert.Equal(plain.W.Length + 1 + 2 + 1 + 2, mm2.W.Length);
    }

    // ---- huge_pmd_unshare by mm 0 (mm 1 keeps the table) ----

    private const string Mm0Unshare = "kernel 5.15\narch x86\npages 2\nhugepage 1\nhuge 0 2\ncpus 1\nsecondary sva exact\nmm2 shared-pmd\ngup_fast mm 1\n"
        + "thread u\n  invalidate_range_start 0 1\n  huge_pmd_unshare 0\n  invalidate_range_end 0 1\n";

    [Fact]
    public void Mm0sUnshareClearsMm0sPudAndViewAndMm1KeepsTheTable()
    {
        var m = RunWithMachine(Mm0Unshare, "u*2").Machine;
        Assert.Equal((-1, 2, 1), Puds(m));
        Assert.Equal(0UL, m.State.W[m.State.PtePresent]); // every translation of the PUD span left mm 0
        Assert.Equal(3UL, m.State.W[m.State.Mm1Present]); // mm 1's table still maps both pages
        // mm 1's GUP-fast walks its table and grabs a frame it maps: no violation
        var gup = RunWithMachine(Mm0Unshare, "u*2\ngup0: gup_fast 1\ngup0: g2");
        AssertNoViolation(gup.Result);
        Assert.Equal(0, gup.Machine.GupPhase(0));
        // a second unshare (refcount 1) and mm 1's unshare after it do nothing
        const string Twice = Mm0Unshare + "  huge_pmd_unshare 0\nthread v mm 1\n  huge_pmd_unshare 0\n";
        Assert.Equal((-1, 2, 1), Puds(RunWithMachine(Twice, "u*4\nv*1").Machine));
    }

    [Fact]
    public void AnEntryOfTheUnsharedSpanTheNotifierMissedIsUsedAfterTheThreadReturns()
    {
        // dev0 cached page 1; the notifier covers page 0 only, so the device keeps page 1 past the return
        AssertViolation(Run(Mm0Unshare, "dev0: read 1\nu*3\ndev0: read 1"), InvariantId.AccessAfterReturn);
        // the range widened to the PUD span (adjust_range_if_pmd_sharing_possible) drops it
        string widened = Mm0Unshare.Replace(" 0 1\n", " 0 2\n", StringComparison.Ordinal);
        AssertNoViolation(Run(widened, "dev0: read 1\nu*3\ndev0: read 1"));
        // before the thread returns the stale entry is the kernel's lazy window, not a violation
        AssertNoViolation(Run(Mm0Unshare, "dev0: read 1\nu*2\ndev0: read 1"));
    }

    [Fact]
    public void AWalkThroughAStaleW2ReadsTheTableMm1Kept()
    {
        // cpu0 caches W2 (and page 0's leaf) before the unshare; with no flush, its walk of page 1 afterwards goes
        // through W2 into the table mm 1 kept and finds page 1 still mapped there: a stale translation, used
        const string NoFlush = "arch x86\npages 2\nhugepage 1\nhuge 0 2\ncpus 1\nmm2 shared-pmd\nthread u\n  huge_pmd_unshare 0\n  tlb_gather_mmu\n  tlb_finish_mmu\n";
        var viaW2 = RunWithMachine(NoFlush, "cpu0: read 0\nu*1\ncpu0: read 1");
        Assert.NotEqual(0UL, viaW2.Machine.State.W[viaW2.Machine.State.TlbValid] & 2UL);
        AssertViolation(Run(NoFlush, "cpu0: read 0\nu*3\ncpu0: read 1"), InvariantId.AccessAfterReturn);
        // without W2 the walk starts at mm 0's PUD, which is none: a fault, nothing cached
        var fromPud = RunWithMachine(NoFlush, "u*1\ncpu0: read 1").Machine;
        Assert.Equal(0UL, fromPud.State.W[fromPud.State.TlbValid] & 2UL);
    }

    [Theory]
    [InlineData("pages 4\ngup_fast mm 1\nthread t\n  pmd_clear 0\n", "needs a second mm")]
    [InlineData("pages 4\nthread t mm 1\n  huge_pmd_unshare 0\n", "needs a second mm")]
    [InlineData("pages 4\nfile 0 1\nmm2 shared-pmd\nthread t mm 1\n  pmd_clear 0\n", "in a thread of mm 1 of an ordering with dirty data")]
    [InlineData("pages 4\nmm2 shared-pmd\nthread t\n  huge_pmd_share 0\n", "on mm 0 is not modelled")]
    [InlineData("pages 4\nmm2 shared-pmd\nthread t mm 2\n  huge_pmd_unshare 0\n", "thread mm")]
    public void Mm2LinesAreDiagnosed(string text, string message)
    {
        var parsed = OrderingParser.Parse(text, "t.order");
        Assert.False(parsed.Ok);
        Assert.Contains(parsed.Diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Mm2LinesPrintBackAsWritten()
    {
        var parsed = Parse(Fixed);
        Assert.Equal(parsed, Parse(parsed.ToString()));
        Assert.Contains("thread u mm 1", parsed.ToString(), StringComparison.Ordinal);
    }
}
