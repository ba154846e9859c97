using Checker.Language;
using Checker.Model;
using Checker.Vocabulary;
using Xunit;
using static Checker.Properties.Support.Models;

namespace Checker.Properties.Tree;

/// <summary>
/// §7 the page-table tree, row by row: every op of §7.3, every flush of §7.4 under each arch column, and
/// walk-after-free with a schedule that violates it and a close one that does not. Each test looks at the
/// state a neighbouring row or the other column would leave differently.
/// </summary>
public sealed class TreeTests
{
    private const string X86 = "arch x86\npages 4\nhugepage 2\ncpus 1\n";
    private const string Arm64 = "arch arm64\npages 4\nhugepage 2\ncpus 1\n";

    /// <summary>The CPU 0 walk entries as "W2 W1[0] W1[1]" (table frames, or -1).</summary>
    private static string Walks(Machine m)
    {
        var s = m.State;
        return $"{s.I[s.TlbW2]} {s.I[s.TlbW1]} {s.I[s.TlbW1 + 1]}";
    }

    private static int Owner(Machine m, int frame) => m.State.I[m.State.FrameOwner + frame];

    // frames: data 0-3, then t4 = the PMD table, t5/t6 = the PTE tables of regions 0/1
    private const string Warm = "cpu0: read 0\ncpu0: read 2\n";

    // ---- §7.4: what each flush drops, per arch ----

    [Theory]
    [InlineData(X86, "flush_tlb_range 0", 0b0100UL, "-1 -1 -1")]     // leaf∩R, every walk entry
    [InlineData(Arm64, "flush_tlb_range 0", 0b0100UL, "-1 -1 6")]    // leaf∩R, walk∩R (VAE1IS)
    [InlineData(X86, "flush_tlb_page 0", 0b0100UL, "-1 -1 -1")]      // INVLPG: every walk entry
    [InlineData(Arm64, "flush_tlb_page 0", 0b0100UL, "4 5 6")]       // VALE1IS: no walk cache
    [InlineData(X86, "flush_tlb_mm", 0UL, "-1 -1 -1")]
    [InlineData(Arm64, "flush_tlb_mm", 0UL, "-1 -1 -1")]
    [InlineData(X86, "pmdp_huge_clear_flush 0", 0b0100UL, "-1 -1 -1")] // pmdp_* flush as flush_tlb_range of the region
    [InlineData(Arm64, "pmdp_huge_clear_flush 0", 0b0100UL, "-1 -1 6")]
    public void EachCpuFlushDropsWhatItsArchColumnSays(string header, string op, ulong leavesLeft, string walksLeft)
    {
        var (result, m) = RunWithMachine(header + "thread t\n  " + op + "\n", Warm + "t*1");
        AssertNoViolation(result);
        Assert.Equal(leavesLeft, Tlb(m));
        Assert.Equal(walksLeft, Walks(m));
    }

    [Theory]
    [InlineData(X86, false, 0b0100UL, "-1 -1 -1")]   // gather flush: leaf∩, every walk entry
    [InlineData(Arm64, false, 0b0100UL, "4 5 6")]    // last_level: leaf only without freed tables
    [InlineData(Arm64, true, 0b0100UL, "-1 -1 6")]   // freed_tables: walk∩ too
    public void TheGatherFlushDropsWalkEntriesByArchAndFreedTables(string header, bool freeTable, ulong leavesLeft, string walksLeft)
    {
        string threads = "thread t\n  tlb_gather_mmu\n  zap_pte_range 0\n" + (freeTable ? "  pmd_clear 0\n  pte_free_tlb 0\n" : "") + "  tlb_finish_mmu 0 2\n";
        var (result, m) = RunWithMachine("kernel 6.6\n" + header + threads, Warm + "t*" + (freeTable ? 5 : 3));
        AssertNoViolation(result);
        Assert.Equal(leavesLeft, Tlb(m) & 0b0101UL);
        Assert.Equal(walksLeft, Walks(m));
    }

    [Theory]
    [InlineData(X86, false, 0UL, "-1 -1 -1")]     // fullmm: everything
    [InlineData(Arm64, false, 0b0101UL, "4 5 6")]  // exit_mmap without freed tables: nothing (the ASID is not reused)
    [InlineData(Arm64, true, 0UL, "-1 -1 -1")]     // with freed tables: everything
    public void TheFullmmGatherFlushesByArch(string header, bool freeTable, ulong leavesLeft, string walksLeft)
    {
        string threads = "thread t\n  tlb_gather_mmu_fullmm\n  zap_pte_range 0\n" + (freeTable ? "  pmd_clear 0\n  pte_free_tlb 0\n" : "") + "  tlb_finish_mmu\n";
        var (result, m) = RunWithMachine("kernel 6.6\n" + header + threads, Warm + "t*" + (freeTable ? 5 : 3));
        AssertNoViolation(result);
        Assert.Equal(leavesLeft, Tlb(m));
        Assert.Equal(walksLeft, Walks(m));
    }

    [Theory]
    [InlineData("arch x86\n", "flush_tlb_kernel_range k0", -1, -1)]        // every kernel walk entry
    [InlineData("arch arm64\n", "flush_tlb_kernel_range k0", 8, 9)]        // VAALE1IS: leaf only
    [InlineData("arch arm64\n", "__flush_tlb_kernel_pgtable k0", -1, 9)]   // VAAE1IS: the entries spanning k0
    public void KernelFlushesDropKernelWalkEntriesByArch(string arch, string op, int w1k0, int w1k1)
    {
        // tables: t4 PMD, t5 t6 PTE, t7 kernel PMD, t8 t9 kernel PTE tables
        var (result, m) = RunWithMachine(arch + "pages 4\nhugepage 2\nkernel_pages 4\ncpus 1\nthread t\n  " + op + "\n",
            "cpu0: prefetch k0\ncpu0: prefetch k2\nt*1");
        AssertNoViolation(result);
        var s = m.State;
        Assert.Equal(w1k0, s.I[s.TlbW1k]);
        Assert.Equal(w1k1, s.I[s.TlbW1k + 1]);
    }

    [Fact]
    public void AnSmmuBtmDeviceDropsWhatTheCpuRowDrops()
    {
        var (result, m) = RunWithMachine("arch arm64\npages 4\nhugepage 2\ncpus 0\nsecondary sva smmu-btm\nthread t\n  flush_tlb_range 0\n",
            "dev0: read 0\ndev0: read 2\nt*1");
        AssertNoViolation(result);
        var s = m.State;
        Assert.Equal($"-1 -1 6", $"{s.I[s.IotlbW2]} {s.I[s.IotlbW1]} {s.I[s.IotlbW1 + 1]}");
    }

    [Fact]
    public void ASecondaryInvalidationDropsTheWalkEntriesItsFlavorCovers()
    {
        // exact over page 0: W2 (spans every user page) and W1[0] go, W1[1] stays
        var (result, m) = RunWithMachine("pages 4\nhugepage 2\ncpus 0\nsecondary sva exact\nthread t\n  invalidate_range 0\n",
            "dev0: read 0\ndev0: read 2\nt*1");
        AssertNoViolation(result);
        var s = m.State;
        Assert.Equal("-1 -1 6", $"{s.I[s.IotlbW2]} {s.I[s.IotlbW1]} {s.I[s.IotlbW1 + 1]}");
    }

    // ---- §7.3: the ops ----

    [Fact]
    public void PmdClearUnlinksButAWalkThroughTheCachedPointerStillReadsTheOldTable()
    {
        // cpu0 cached W1[0] reading page 0; after pmd_clear the live PTE of page 1 is none, but the walk of
        // page 1 goes through W1[0] into the unlinked table, which still maps f1: a stale translation
        var (result, m) = RunWithMachine(X86 + "thread t\n  pmd_clear 0\n", "cpu0: read 0\nt*1\ncpu0: read 1");
        AssertViolation(result, InvariantId.AccessAfterReturn, 3); // pmd_clear took page 1's translation away and returned
        Assert.Equal(0b0011UL, Tlb(m) & 0b0011UL);
        Assert.Equal(0UL, m.State.W[m.State.PtePresent] & 0b0011UL);
        Assert.Equal(ModelState.OwnerMm, Owner(m, 5)); // kept, not freed
    }

    [Fact]
    public void PteFreeFreesTheKeptTableAndAWalkThroughItIsWalkAfterFree()
    {
        var r = Run(X86 + "thread t\n  pmd_clear 0\n  pte_free 0\n", "cpu0: read 0\nt*2\ncpu0: read 1");
        AssertViolation(r, InvariantId.WalkAfterFree, 4);
        // the close variant: nothing cached before the free, the walk starts at the PUD and faults
        AssertNoViolation(Run(X86 + "thread t\n  pmd_clear 0\n  pte_free 0\n", "t*2\ncpu0: read 1"));
        // and with the flush between (x86 drops every walk entry): no walk-after-free
        AssertNoViolation(Run(X86 + "thread t\n  pmd_clear 0\n  flush_tlb_range 0 2\n  pte_free 0\n", "cpu0: read 0\nt*3\ncpu0: read 1"));
    }

    [Fact]
    public void PteFreeTlbBatchesTheTableUntilTheGatherFlushes()
    {
        var (r, m) = RunWithMachine("kernel 6.6\n" + X86 + "thread t\n  tlb_gather_mmu\n  pmd_clear 0\n  pte_free_tlb 0\n  tlb_finish_mmu 0 2\n", "t*3");
        AssertNoViolation(r);
        Assert.Equal(ModelState.OwnerMm, Owner(m, 5));
        var (r2, m2) = RunWithMachine("kernel 6.6\n" + X86 + "thread t\n  tlb_gather_mmu\n  pmd_clear 0\n  pte_free_tlb 0\n  tlb_finish_mmu 0 2\n", "t*4");
        AssertNoViolation(r2);
        Assert.Equal(ModelState.OwnerFree, Owner(m2, 5));
        Assert.Equal(1, m.State.I[m.State.GatherFreedTables]);
    }

    [Fact]
    public void PteFreeTlbNobatchFreesAtOnce()
    {
        var (r, m) = RunWithMachine("kernel 6.6\n" + X86 + "thread t\n  tlb_gather_mmu\n  pmd_clear 0\n  pte_free_tlb 0 nobatch\n  tlb_finish_mmu 0 2\n", "t*3");
        AssertNoViolation(r);
        Assert.Equal(ModelState.OwnerFree, Owner(m, 5));
    }

    [Fact]
    public void FreePgtablesOverAllPagesFreesThePmdTableToo()
    {
        var (r, m) = RunWithMachine("kernel 6.6\n" + X86 + "thread t\n  tlb_gather_mmu\n  free_pgtables 0 4\n  tlb_finish_mmu 0 4\n", "t*3");
        AssertNoViolation(r);
        Assert.Equal(-1, m.State.I[m.State.Pud]);
        Assert.Equal(ModelState.OwnerFree, Owner(m, 4));
        Assert.Equal(ModelState.OwnerFree, Owner(m, 5));
        Assert.Equal(ModelState.OwnerFree, Owner(m, 6));
        // over one region only: the PMD table stays
        var (r2, m2) = RunWithMachine("kernel 6.6\n" + X86 + "thread t\n  tlb_gather_mmu\n  free_pgtables 0 2\n  tlb_finish_mmu 0 2\n", "t*3");
        AssertNoViolation(r2);
        Assert.Equal(ModelState.OwnerMm, Owner(m2, 4));
        Assert.Equal(ModelState.OwnerFree, Owner(m2, 5));
        Assert.Equal(ModelState.OwnerMm, Owner(m2, 6));
    }

    [Fact]
    public void SetPmdAtMapsTheRegionHugeAndOneWalkFillsTheWholeRegion()
    {
        var (r, m) = RunWithMachine(X86 + "thread t\n  pmd_clear 0\n  set_pmd_at 0\n", "t*2\ncpu0: read 0");
        AssertNoViolation(r);
        var s = m.State;
        Assert.Equal(ModelState.PmdHuge, s.I[s.PmdKind]);
        Assert.Equal(0b0011UL, Tlb(m) & 0b0011UL); // a huge leaf spans its region
        Assert.True(s.I[s.PteFrame] >= 7 && s.I[s.PteFrame + 1] >= 7); // fresh frames, after the tables t4-t6
    }

    [Fact]
    public void HugeClearWithoutFlushKeepsTheLeafWithFlushDropsItAndInvalidateKeepsTheFrames()
    {
        const string H = X86 + "huge 0 2\n";
        var (_, a) = RunWithMachine(H + "thread t\n  pmdp_huge_get_and_clear 0\n", "cpu0: read 0\nt*1");
        Assert.Equal(0b0011UL, Tlb(a) & 0b0011UL);
        var (_, b) = RunWithMachine(H + "thread t\n  pmdp_huge_clear_flush 0\n", "cpu0: read 0\nt*1");
        Assert.Equal(0UL, Tlb(b) & 0b0011UL);
        var (_, c) = RunWithMachine(H + "thread t\n  pmdp_invalidate 0\n", "cpu0: read 0\nt*1");
        Assert.Equal(ModelState.PmdInvalid, c.State.I[c.State.PmdKind]);
        Assert.Equal(0UL, Tlb(c) & 0b0011UL);
        Assert.Equal(0, c.State.I[c.State.PteFrame]); // frames kept in the entry
        Assert.Equal(ModelState.PmdNone, b.State.I[b.State.PmdKind]);
    }

    [Fact]
    public void SplitHugePmdLinksAFreshTableMappingTheSameFrames()
    {
        var (r, m) = RunWithMachine(X86 + "huge 0 2\nthread t\n  split_huge_pmd 0\n", "t*1\ncpu0: read 1");
        AssertNoViolation(r);
        var s = m.State;
        Assert.Equal(ModelState.PmdTable, s.I[s.PmdKind]);
        Assert.Equal(1, s.I[s.PteFrame + 1]);
        Assert.Equal(7, s.I[s.TlbW1]); // the split's own table: slot 3, frame 4 + 3
        Assert.Equal(0b0011UL, s.W[s.PtePresent] & 0b0011UL);
    }

    [Fact]
    public void PmdpCollapseFlushUnlinksTheTableAndFlushes()
    {
        var (r, m) = RunWithMachine(X86 + "thread t\n  pmdp_collapse_flush 0\n", Warm + "t*1");
        AssertNoViolation(r);
        var s = m.State;
        Assert.Equal(ModelState.PmdNone, s.I[s.PmdKind]);
        Assert.Equal("-1 -1 -1", Walks(m));
        Assert.Equal(5, s.I[s.Kept]);
    }

    [Fact]
    public void ZapHugePmdBatchesTheFramesUntilTheFlush()
    {
        const string O = "kernel 6.6\n" + X86 + "huge 0 2\nthread t\n  tlb_gather_mmu\n  zap_huge_pmd 0\n  tlb_finish_mmu 0 2\n";
        var (_, before) = RunWithMachine(O, "t*2");
        Assert.Equal(ModelState.OwnerMm, Owner(before, 0));
        Assert.Equal(0x2000UL, before.State.W[before.State.GatherEnd]);
        var (_, after) = RunWithMachine(O, "t*3");
        Assert.Equal(ModelState.OwnerFree, Owner(after, 0));
        Assert.Equal(ModelState.OwnerFree, Owner(after, 1));
    }

    [Fact]
    public void TlbFlushPmdRangeWidensTheGatherAndSetsCleared()
    {
        var (_, m) = RunWithMachine("kernel 6.6\n" + X86 + "thread t\n  tlb_gather_mmu\n  tlb_flush_pmd_range 2 4\n", "t*2");
        var s = m.State;
        Assert.Equal(0x2000UL, s.W[s.GatherStart]);
        Assert.Equal(0x4000UL, s.W[s.GatherEnd]);
        Assert.Equal(1, s.I[s.GatherCleared]);
    }

    [Fact]
    public void MovePgtEntryMovesTheTableWithItsPtes()
    {
        var (r, m) = RunWithMachine(X86 + "thread t\n  pmd_clear 2\n  flush_tlb_mm\n  pte_free 2\n  move_pgt_entry 0 2\n", "t*4");
        AssertNoViolation(r);
        var s = m.State;
        Assert.Equal(ModelState.PmdNone, s.I[s.PmdKind]);
        Assert.Equal(5, s.I[s.PmdFrame + 1]);
        Assert.Equal(0b1100UL, s.W[s.PtePresent]);
        Assert.Equal(0, s.I[s.PteFrame + 2]);
    }

    [Fact]
    public void IommuSvaInvalidateKvaRangeDropsTheDevicesKernelWalkEntries()
    {
        const string O = "kernel 6.19\narch x86\npages 2\nhugepage 2\nkernel_pages 2\ncpus 0\nsecondary sva exact\nthread t\n  iommu_sva_invalidate_kva_range\n";
        var (r, m) = RunWithMachine(O, "dev0: prefetch k0\nt*1");
        AssertNoViolation(r);
        Assert.Equal(-1, m.State.I[m.State.IotlbW1k]);
        var (_, before) = RunWithMachine(O, "dev0: prefetch k0");
        Assert.True(before.State.I[before.State.IotlbW1k] >= 0);
    }

    [Fact]
    public void Arm64DevicesDoNotWalkTheKernelHalf()
    {
        // §7.6 rule 7: no 'dev0: prefetch k0' choice under arm64
        var program = Compile("arch arm64\npages 2\nhugepage 2\nkernel_pages 2\ncpus 0\nsecondary sva smmu\nthread t\n  pmd_free_pte_page k0\n");
        var machine = new Machine(program);
        machine.Reset(4);
        Assert.False(machine.CanStep(Choice.Env(program.ActorIndex("dev0"), StepAction.Prefetch, 2)));
    }

    [Fact]
    public void APteOpOnAHugeRegionDoesNothing()
    {
        var (_, m) = RunWithMachine(X86 + "huge 0 2\nthread t\n  pte_clear 0 4\n", "t*1");
        Assert.Equal(0b0011UL, m.State.W[m.State.PtePresent]); // rule 6: region 0 is huge, only region 1 clears
    }

    // ---- GUP-fast, IPIs and RCU (§7.6 rules 4, 5) ----

    private const string Gup = "kernel 6.6\npages 2\nhugepage 2\ncpus 0\ngup_fast\n";

    [Fact]
    public void AnX86FlushWaitsForAGupWalkerInItsWindowAnArm64OneDoesNot()
    {
        var x86 = Compile("arch x86\n" + Gup + "thread t\n  flush_tlb_range 0 2\n");
        var mx = new Machine(x86);
        mx.Reset(4);
        mx.Step(Choice.Env(x86.ActorIndex("gup0"), StepAction.Gup, 0));
        Assert.False(mx.ThreadEnabled(0));
        var arm = Compile("arch arm64\n" + Gup + "thread t\n  flush_tlb_range 0 2\n");
        var ma = new Machine(arm);
        ma.Reset(4);
        ma.Step(Choice.Env(arm.ActorIndex("gup0"), StepAction.Gup, 0));
        Assert.True(ma.ThreadEnabled(0));
    }

    [Fact]
    public void ATableTheGatherFreesWaitsForTheWalkerInItsWindow()
    {
        const string O = "arch arm64\n" + Gup + "thread t\n  tlb_gather_mmu\n  pmd_clear 0\n  pte_free_tlb 0\n  tlb_finish_mmu 0 2\n";
        // g1, g2 (reads the PTE table pointer), then the thread frees the table: RCU waits for g3
        var (r, m) = RunWithMachine(O, "gup0: gup_fast 0\ngup0: g2\nt*4");
        AssertNoViolation(r);
        Assert.Equal(ModelState.OwnerMm, Owner(m, 3));
        var (r2, m2) = RunWithMachine(O, "gup0: gup_fast 0\ngup0: g2\nt*4\ngup0: g3");
        AssertNoViolation(r2); // g3 reads the unlinked but not yet freed table
        Assert.Equal(ModelState.OwnerFree, Owner(m2, 3));
    }

    [Fact]
    public void GupFastReadingAFreedTableIsWalkAfterFree()
    {
        // pte_free frees at once, without RCU: g3 reads the freed table
        var r = Run("arch arm64\n" + Gup + "thread t\n  pmd_clear 0\n  pte_free 0\n", "gup0: gup_fast 0\ngup0: g2\nt*2\ngup0: g3");
        AssertViolation(r, InvariantId.WalkAfterFree);
        AssertNoViolation(Run("arch arm64\n" + Gup + "thread t\n  pmd_clear 0\n  pte_free 0\n", "t*2\ngup0: gup_fast 0\ngup0: g2"));
    }

    [Fact]
    public void TlbRemoveTableSyncOneWaitsForEveryWalker()
    {
        var program = Compile("arch arm64\n" + Gup + "thread t\n  tlb_remove_table_sync_one\n");
        var m = new Machine(program);
        m.Reset(4);
        Assert.True(m.ThreadEnabled(0));
        m.Step(Choice.Env(program.ActorIndex("gup0"), StepAction.Gup, 0));
        Assert.False(m.ThreadEnabled(0));
    }

    // ---- the tree off: nothing changes ----

    [Fact]
    public void AnOrderingWithoutTreeLinesHasNoTree()
    {
        var program = Compile("pages 4\ncpus 1\nthread t\n  pte_clear 0\n");
        Assert.Null(program.Tree);
        Assert.NotNull(Compile("pages 4\npagetables\nthread t\n  pte_clear 0\n").Tree);
    }

    // ---- diagnostics (§8.6, the §7 lines) ----

    [Theory]
    [InlineData("pages 4\nhugepage 3\nthread t\n  pmd_clear 0\n", "does not divide")]
    [InlineData("pages 4\nhugepage 2\nhuge 1 2\nthread t\n  pmd_clear 0\n", "not aligned")]
    [InlineData("pages 4\nhugepage 2\nthread t\n  zap_huge_pmd 0\n", "without an active mmu_gather")]
    [InlineData("pages 4\nhugepage 2\nkernel_pages 2\nthread t\n  pte_clear k0\n", "takes user pages")]
    [InlineData("pages 4\nhugepage 2\nkernel_pages 2\nthread t\n  pmd_free_pte_page 0\n", "takes a kernel page")]
    [InlineData("pages 4\nhugepage 2\nkernel_pages 2\nthread t\n  pmd_free_pte_page k2\n", "outside the kernel pages")]
    [InlineData("arch x86\npages 4\nhugepage 2\nkernel_pages 2\nthread t\n  __flush_tlb_kernel_pgtable k0\n", "arm64's")]
    [InlineData("kernel 5.15\npages 4\nthread t\n  tlb_gather_mmu\n  tlb_flush_pmd_range 0 2\n  tlb_finish_mmu\n", "does not exist in kernel 5.15")]
    // §7 mm2: Mm2Tests.Mm2LinesAreDiagnosed
    public void TreeLinesAreDiagnosed(string text, string message)
    {
        var parsed = OrderingParser.Parse(text, "t.order");
        Assert.False(parsed.Ok);
        Assert.Contains(parsed.Diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void TreeLinesPrintBackAsWritten()
    {
        const string text = "pages 4\nhugepage 2\nhuge 0 2\nkernel_pages 2\ngup_fast\npagetables\nthread t\n  tlb_gather_mmu\n  pte_free_tlb 2 nobatch\n  set_pmd_at 2 ro\n  move_pgt_entry 0 2\n  pmd_free_pte_page k1\n  flush_tlb_kernel_range k0 k2\n  tlb_finish_mmu\n";
        var parsed = Parse(text);
        Assert.Equal(parsed, Parse(parsed.ToString()));
    }

    // ---- mremap moving a whole PTE table (move_normal_pmd): exhaustive finds the CVE-2018-18281 shape ----
    // Not in catalog/: PCT (d=3) does not reach it within its budget (the CPU must read before the move and again
    // after the truncate, around a mremap that runs on), and every catalog file must meet its expectation under
    // every strategy.

    private const string MremapBuggy = """
ordering mremap moves a whole PTE table and flushes after dropping the PTL (CVE-2018-18281 shape, move_normal_pmd)
kernel 4.20
arch x86
pages 4
hugepage 2
unmapped 2 4
cpus 1
expect violation use-after-free
source mm/mremap.c move_normal_pmd() (2c91bd4a4e2e, 4.20) moves the PMD entry under both PTLs; the old range must be flushed before the PTL is dropped, or a concurrent truncate frees the pages while a CPU still holds their old translation (eb66ae030829 for move_ptes)
thread mremap
  pmd_clear 2
  flush_tlb_range 2 4
  pte_free 2
  ptl_lock
  move_pgt_entry 0 2
  ptl_unlock
  flush_tlb_range 0 2
thread truncate
  lock i_mmap
  tlb_gather_mmu
  ptl_lock
  zap_pte_range 2 4
  ptl_unlock
  tlb_finish_mmu 2 4
  unlock i_mmap
""";

    private const string MremapFixed = """
ordering mremap moves a whole PTE table and flushes under the PTL (move_normal_pmd)
kernel 4.20
arch x86
pages 4
hugepage 2
unmapped 2 4
cpus 1
expect pass
source mm/mremap.c move_normal_pmd(): flush_tlb_range() of the old PMD range before the PTLs are dropped (2c91bd4a4e2e, 4.20)
thread mremap
  pmd_clear 2
  flush_tlb_range 2 4
  pte_free 2
  ptl_lock
  move_pgt_entry 0 2
  flush_tlb_range 0 2
  ptl_unlock
thread truncate
  lock i_mmap
  tlb_gather_mmu
  ptl_lock
  zap_pte_range 2 4
  ptl_unlock
  tlb_finish_mmu 2 4
  unlock i_mmap
""";

    [Fact]
    public void MovePgtEntryFlushedAfterThePtlIsDroppedIsUseAfterFreeAndUnderThePtlPasses()
    {
        var options = new Checker.Exploration.ExplorationOptions { Strategy = Checker.Exploration.StrategyKind.Exhaustive };
        var buggy = Checker.Exploration.Explorer.Check(Compile(MremapBuggy), "mremap.order", options);
        Assert.True(buggy.Met && buggy.Complete, "buggy: " + string.Join(",", buggy.Found));
        Assert.Contains(InvariantId.UseAfterFree, buggy.Found);
        var fixedRun = Checker.Exploration.Explorer.Check(Compile(MremapFixed), "mremap-fixed.order", options);
        Assert.True(fixedRun.Met && fixedRun.Complete && fixedRun.Found.Count == 0);
    }
}
