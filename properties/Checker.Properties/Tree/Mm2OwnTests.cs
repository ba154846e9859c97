using Checker.Language;
using Checker.Model;
using Checker.Vocabulary;
using Xunit;
using static Checker.Properties.Support.Models;

namespace Checker.Properties.Tree;

/// <summary>
/// §7 <c>mm2</c> without <c>shared-pmd</c> and <c>mm2 cpus K</c> (issue 12): mm 1 with its own PMD table, PTE tables
/// and data frames; threads of mm 1 running PTE, PMD, flush and notifier ops; CPUs of mm 1. Each behaviour has a
/// schedule that violates and one that does not, or a state the neighbouring rule (one mm-wide lock, flushes
/// reaching every CPU, coverage over both mms, notifiers reaching mm 0's secondaries) would leave differently.
/// </summary>
public sealed class Mm2OwnTests
{
    // one region; frames: data f0 f1 (mm 0), t2 mm 0's PMD table, t3 its PTE table, t4 mm 1's PMD table, t5 its PTE
    // table, data f6 f7 (mm 1); cpu0 runs mm 0, cpu1 mm 1
    private const string Own = "kernel 6.6\narch x86\npagetables\npages 2\ncpus 1\nmm2 cpus 1\n";

    private static ulong Mm1Ptes(Machine m) => m.State.W[m.State.Mm1Present];

    private static int TlbFrame(Machine m, int cpu, int page) => m.State.I[m.State.TlbFrame + cpu * m.State.Pages + page];

    [Fact]
    public void Mm1StartsWithItsOwnTablesAndFramesLaidOutAsMm0s()
    {
        var m = new Machine(Compile(Own + "thread t mm 1\n  pte_clear 0\n"));
        var s = m.State;
        Assert.Equal(2, s.I[s.Pud]);
        Assert.Equal(4, s.I[s.Pud1]);
        Assert.Equal(ModelState.PmdTable, s.I[s.Mm1Kind]);
        Assert.Equal(5, s.I[s.Mm1PmdFrame]);
        Assert.Equal(3UL, Mm1Ptes(m));
        Assert.Equal(6, s.I[s.Mm1Frame]);
        Assert.Equal(7, s.I[s.Mm1Frame + 1]);
        Assert.Equal(1, s.I[s.PmdRef]); // not shared: each PMD table has one PUD
        Assert.Equal(1, s.I[s.PmdRef1]);
        Assert.Equal(8, s.I[s.FrameCount]);
    }

    [Fact]
    public void EachCpuWalksItsOwnMmsTables()
    {
        var m = RunWithMachine(Own + "thread t mm 1\n  pte_clear 0\n", "cpu0: read 0\ncpu1: read 0").Machine;
        Assert.Equal(0, TlbFrame(m, 0, 0));
        Assert.Equal(6, TlbFrame(m, 1, 0));
        Assert.Equal(2, m.State.I[m.State.TlbW2]);       // cpu0's W2: mm 0's PMD table
        Assert.Equal(4, m.State.I[m.State.TlbW2 + 1]);   // cpu1's W2: mm 1's
        Assert.Equal(5, m.State.I[m.State.TlbW1 + 1]);   // cpu1's W1[0]: mm 1's PTE table
    }

    [Fact]
    public void AThreadOfMm1ChangesOnlyMm1sPtesAndMm0sOnlyMm0s()
    {
        var mm1 = RunWithMachine(Own + "thread t mm 1\n  pte_clear 0\n", "t*1").Machine;
        Assert.Equal(3UL, mm1.State.W[mm1.State.PtePresent]);
        Assert.Equal(2UL, Mm1Ptes(mm1));
        var mm0 = RunWithMachine(Own + "thread t\n  pte_clear 0\n", "t*1").Machine;
        Assert.Equal(2UL, mm0.State.W[mm0.State.PtePresent]);
        Assert.Equal(3UL, Mm1Ptes(mm0));
    }

    private const string FlushOtherMm = Own + "thread z\n  pte_clear 0\n  put_page 0\nthread f mm 1\n  flush_tlb_mm\n";

    [Fact]
    public void AFlushOfMm1DoesNotReachMm0sCpu()
    {
        // mm 0 unmaps and frees f0; only mm 1 flushes: cpu0 keeps f0 and uses it after the free
        AssertViolation(Run(FlushOtherMm, "cpu0: read 0\nz*2\nf*1\ncpu0: read 0"), InvariantId.UseAfterFree);
        var m = RunWithMachine(FlushOtherMm, "cpu0: read 0\ncpu1: read 0\nz*2\nf*1").Machine;
        Assert.Equal(1UL, Tlb(m, 0));   // mm 0's CPU kept its entry
        Assert.Equal(0UL, Tlb(m, 1));   // mm 1's CPU lost its own
        // the same flush run by mm 0 reaches cpu0: the read faults
        string own = FlushOtherMm.Replace("thread f mm 1", "thread f", StringComparison.Ordinal);
        AssertNoViolation(Run(own, "cpu0: read 0\nz*2\nf*1\ncpu0: read 0"));
    }

    private const string Mm0Munmap = Own + "thread z\n  tlb_gather_mmu\n  zap_pte_range 0 2\n  tlb_finish_mmu 0 2\n";

    [Fact]
    public void Mm0sMunmapDoesNotTouchMm1sPagesButMm1sOwnUnflushedUnmapIsUseAfterFree()
    {
        var r = RunWithMachine(Mm0Munmap, "cpu1: read 0\nz*3\ncpu1: read 0\ncpu1: write 1");
        AssertNoViolation(r.Result);
        Assert.Equal(3UL, Mm1Ptes(r.Machine));
        Assert.Equal(FrameOwner.Mm, (FrameOwner)r.Machine.State.I[r.Machine.State.FrameOwner + 6]);
        Assert.Equal(FrameOwner.Free, (FrameOwner)r.Machine.State.I[r.Machine.State.FrameOwner + 0]);
        // mm 1 unmapping and freeing its own page without a flush leaves cpu1 a stale entry to a free frame
        const string Mm1Unmap = Own + "thread y mm 1\n  pte_clear 0\n  put_page 0\n";
        AssertViolation(Run(Mm1Unmap, "cpu1: read 0\ny*2\ncpu1: read 0"), InvariantId.UseAfterFree);
        string flushed = Mm1Unmap.Replace("  put_page 0\n", "  flush_tlb_page 0\n  put_page 0\n", StringComparison.Ordinal);
        AssertNoViolation(Run(flushed, "cpu1: read 0\ny*3\ncpu1: read 0"));
    }

    // shared-pmd with CPUs of mm 1: both mms map the shared table's frames, mm 0's flush reaches mm 0's CPUs only
    private const string SharedCpus = "kernel 6.6\narch x86\npages 2\nhugepage 1\nhuge 0 2\ncpus 1\nmm2 cpus 1 shared-pmd\n"
        + "thread z\n  tlb_gather_mmu\n  zap_huge_pmd 0\n  tlb_finish_mmu 0 1\n";

    [Fact]
    public void UnderSharedPmdMm1sCpuReachesTheFrameMm0FreedWithAFlushOfMm0Only()
    {
        AssertViolation(Run(SharedCpus, "cpu1: read 0\nz*3\ncpu1: read 0"), InvariantId.UseAfterFree);
        // mm 0's own CPU is flushed: its read faults
        AssertNoViolation(Run(SharedCpus, "cpu0: read 0\nz*3\ncpu0: read 0"));
        // and mm 1's CPU walks the shared table: the zap left page 0 none there too
        AssertNoViolation(Run(SharedCpus, "z*3\ncpu1: read 0"));
    }

    [Fact]
    public void MmapLockAndPtlArePerMm()
    {
        const string Locks = Own + "thread a\n  mmap_write_lock\n  ptl_lock\n  ptl_unlock\n  mmap_write_unlock\n"
            + "thread b mm 1\n  mmap_write_lock\n  ptl_lock\n  ptl_unlock\n  mmap_write_unlock\n";
        AssertNoViolation(Run(Locks, "a*2\nb*4\na*2")); // mm 1 takes its own locks while mm 0 holds its
        string sameMm = Locks.Replace("thread b mm 1", "thread b", StringComparison.Ordinal);
        Assert.True(Run(sameMm, "a*2\nb*1").Diverged); // one mm: the lock is held
        const string Ptl = Own + "thread a\n  ptl_lock\n  ptl_unlock\nthread b mm 1\n  ptl_lock\n  ptl_unlock\n";
        AssertNoViolation(Run(Ptl, "a*1\nb*2\na*1"));
        Assert.True(Run(Ptl.Replace("thread b mm 1", "thread b", StringComparison.Ordinal), "a*1\nb*1").Diverged);
    }

    [Fact]
    public void TlbFlushPendingIsPerMm()
    {
        const string Pending = Own + "thread a\n  tlb_gather_mmu\n  tlb_finish_mmu 0 2\nthread b mm 1\n  if tlb_flush_pending flush_tlb_mm\n";
        var m = RunWithMachine(Pending, "cpu1: read 0\na*1\nb*1").Machine;
        Assert.Equal(1UL, Tlb(m, 1)); // mm 1's counter is 0: no flush
        string sameMm = Pending.Replace("thread b mm 1", "thread b", StringComparison.Ordinal);
        var m0 = RunWithMachine(sameMm, "cpu0: read 0\na*1\nb*1").Machine;
        Assert.Equal(0UL, Tlb(m0, 0));
    }

    private const string Notify = "kernel 6.6\narch x86\npagetables\npages 2\ncpus 0\nsecondary sva exact\nmm2\n"
        + "thread n mm 1\n  invalidate_range 0 2\n  invalidate_range 1 0\n";

    [Fact]
    public void NotifierCallsOfMm1ReachNoSecondaryOfMm0()
    {
        var m = RunWithMachine(Notify, "dev0: read 0\nn*1").Machine;
        Assert.Equal(1UL, Iotlb(m));
        AssertNoViolation(Run(Notify, "n*2")); // no subscriber on mm 1: a bad range reaches no one
        string mm0 = Notify.Replace("thread n mm 1", "thread n", StringComparison.Ordinal);
        Assert.Equal(0UL, Iotlb(RunWithMachine(mm0, "dev0: read 0\nn*1").Machine));
        AssertViolation(Run(mm0, "n*2"), InvariantId.InvalidNotifierRange);
    }

    [Fact]
    public void CoverageIsPerMm()
    {
        // z (mm 0) clears page 0 without flushing it and returns after a flush of page 1 only
        const string Cover = Own + "thread z\n  pte_clear 0\n  flush_tlb_page 1\nthread y mm 1\n  pte_clear 0\n";
        AssertViolation(Run(Cover, "cpu0: read 0\nz*2\ncpu0: read 0"), InvariantId.AccessAfterReturn);
        // before z returns, mm 1's thread that covered its own page 0 has returned: that is not mm 0's coverage
        AssertNoViolation(Run(Cover, "cpu0: read 0\nz*1\ny*1\ncpu0: read 0"));
    }

    private const string FreeTable = Own + "thread y mm 1\n  pmd_clear 0\n  pte_free 0\n";

    [Fact]
    public void AWalkEntryOfMm1IntoItsFreedTableIsWalkAfterFreeAndMm0sCpuIsUntouched()
    {
        AssertViolation(Run(FreeTable, "cpu1: read 0\ny*2\ncpu1: read 1"), InvariantId.WalkAfterFree);
        string flushed = FreeTable.Replace("  pte_free 0\n", "  flush_tlb_mm\n  pte_free 0\n", StringComparison.Ordinal);
        AssertNoViolation(Run(flushed, "cpu1: read 0\ny*3\ncpu1: read 1"));
        AssertNoViolation(Run(FreeTable, "cpu0: read 0\ny*2\ncpu0: read 1")); // mm 0's tables are not mm 1's
    }

    [Fact]
    public void GupFastOfMm1WalksMm1sOwnTables()
    {
        string gup = Own.Replace("mm2 cpus 1\n", "mm2 cpus 1\ngup_fast mm 1\n", StringComparison.Ordinal) + "thread t mm 1\n  pte_clear 1\n";
        var r = RunWithMachine(gup, "gup0: gup_fast 0\ngup0: g2");
        Assert.Equal(5, r.Machine.State.I[r.Machine.State.GupTable]); // mm 1's PTE table
        AssertNoViolation(Run(gup, "gup0: gup_fast 0\ngup0: g2\ngup0: g3")); // grabs f6, mm 1's
    }

    [Fact]
    public void AnExplicitCpuThreadNumberedAfterMm0sCpusRunsMm1()
    {
        const string Explicit = "arch x86\npagetables\npages 2\ncpus 1\nmm2 cpus 1\nenvironment explicit\nthread c cpu 1\n  read 0\nthread d cpu 0\n  read 0\n";
        var m = RunWithMachine(Explicit, "c*1\nd*1").Machine;
        Assert.Equal(6, TlbFrame(m, 1, 0));
        Assert.Equal(0, TlbFrame(m, 0, 0));
    }

    [Theory]
    [InlineData("pagetables\npages 2\ncpus 1\nmm2 cpus 1\nenvironment explicit\nthread c cpu 2\n  read 0\n", "'cpus 1' and 'mm2 cpus 1'")]
    [InlineData("pagetables\npages 2\ncpus 5\nmm2 cpus 4\nthread t\n  pte_clear 0\n", "make 9 CPUs (at most 8)")]
    [InlineData("pages 2\nfile 0 1\nmm2\nthread t\n  pte_clear 0\n", "together with dirty data")]
    [InlineData("pages 2\nfile 0 1\nmm2 cpus 1 shared-pmd\nthread t\n  pte_clear 0\n", "together with dirty data")]
    [InlineData("pages 2\nfile 0 1\nmm2 shared-pmd\nthread t mm 1\n  pte_clear 0\n", "of an ordering with dirty data")]
    public void WhatStaysRefusedIsDiagnosedWithWhatToDo(string text, string message)
    {
        var parsed = OrderingParser.Parse(text, "t.order");
        Assert.False(parsed.Ok);
        var d = Assert.Single(parsed.Diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
        Assert.Contains(" — ", d.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("t.order:", d.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mm2")]
    [InlineData("mm2 cpus 2")]
    [InlineData("mm2 cpus 1 shared-pmd")]
    public void TheNewFormsPrintBackAsWritten(string header)
    {
        var parsed = Parse("pages 2\ncpus 1\n" + header + "\nthread t mm 1\n  pte_clear 0\n  flush_tlb_mm\n");
        Assert.Contains(header + "\n", parsed.ToString(), StringComparison.Ordinal);
        Assert.Equal(parsed, Parse(parsed.ToString()));
    }

    [Fact]
    public void HugePmdUnshareWithoutASecondMmDoesNothing()
    {
        // found by the hostile-text law: with one mm there is no mm 1 PUD to read (it crashed on main, 30b01e2)
        var r = RunWithMachine("pages 1\ncpus 0\nthread t0\n  huge_pmd_unshare 0\n", "t0*1");
        AssertNoViolation(r.Result);
        Assert.Equal(r.Machine.Program.Pages, r.Machine.State.I[r.Machine.State.Pud]); // mm 0's PUD still points at its table
    }

    [Fact]
    public void AnOrderingWithoutMm2KeepsItsStateLayoutAndMm2OwnAddsMm1sPart()
    {
        const string O = "pagetables\npages 2\ncpus 1\nthread z\n  pte_clear 0\n";
        var plain = new Machine(Compile(O)).State;
        var own = new Machine(Compile(O.Replace("cpus 1\n", "cpus 1\nmm2\n", StringComparison.Ordinal))).State;
        Assert.Equal(-1, plain.Pud1);
        Assert.Equal(-1, plain.Mm0Not);
        Assert.Equal(plain.Pud, plain.MmPud);
        Assert.True(own.I.Length > plain.I.Length);
        Assert.Equal(plain.Cpus, own.Cpus);
    }
}
