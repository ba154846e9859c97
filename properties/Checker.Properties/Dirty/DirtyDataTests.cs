using Checker.Model;
using Checker.Vocabulary;
using Xunit;
using static Checker.Properties.Support.Models;

namespace Checker.Properties.Dirty;

/// <summary>
/// DESIGN §8.2 and §8.3, row by row: each test runs a small schedule and reads the §8 state (PTE D, PROT_NONE,
/// PG_dirty, disk, lazy-free, pins, mapcount) or the verdict, so an implementation of the row that differs fails.
/// </summary>
public sealed class DirtyDataTests
{
    // ---- state readers ----

    private static bool PteD(Machine m, int p) => (m.State.W[m.State.PteDirty] >> p & 1) != 0;
    private static bool Protnone(Machine m, int p) => (m.State.W[m.State.PteProtnone] >> p & 1) != 0;
    private static bool Present(Machine m, int p) => (m.State.W[m.State.PtePresent] >> p & 1) != 0;
    private static bool Writable(Machine m, int p) => (m.State.W[m.State.PteWritable] >> p & 1) != 0;
    private static bool PgDirty(Machine m, int f) => m.State.I[m.State.FramePgDirty + f] != 0;
    private static int Content(Machine m, int f) => m.State.C[m.State.FrameContent + f];
    private static int Disk(Machine m, int f) => m.State.C[m.State.FrameDisk + f];
    private static bool OnDisk(Machine m, int f) => m.State.I[m.State.FrameUnwritten + f] != 0;
    private static bool Lazy(Machine m, int f) => m.State.I[m.State.FrameLazy + f] != 0;
    private static bool Discarded(Machine m, int f) => m.State.I[m.State.FrameDiscarded + f] != 0;
    private static bool BaselineSet(Machine m, int f) => m.State.I[m.State.FrameBaselineSet + f] != 0;
    private static int Ref(Machine m, int f) => m.State.I[m.State.FrameRef + f];
    private static bool ForceFlush(Machine m, int t = 0) => m.State.I[m.State.ForceFlushFlag + t] != 0;

    private const string File1 = "kernel 6.6\npages 2\ncpus 1\nfile 0 1\n";
    private const string Lazy1 = "kernel 6.6\npages 2\ncpus 1\nlazyfree 0 1\n";

    // ---- §8.1 initial state ----

    [Fact]
    public void AFilePageStartsCleanInThePageCacheWithTwoReferences()
    {
        var (_, m) = RunWithMachine(File1 + "thread t\n  force_flush\n", "t*1");
        Assert.False(PteD(m, 0));
        Assert.True(PteD(m, 1)); // anonymous: D is the constant 1
        Assert.Equal(2, Ref(m, 0));
        Assert.Equal(1, Ref(m, 1));
        Assert.True(OnDisk(m, 0));
    }

    [Fact]
    public void AnAliasMapsTheTargetsFrameWithOneMoreReference()
    {
        var (_, m) = RunWithMachine("kernel 6.6\npages 3\ncpus 1\nfile 0 1\nalias 2 0\nthread t\n  force_flush\n", "t*1");
        Assert.Equal(0, m.State.I[m.State.PteFrame + 2]);
        Assert.Equal(3, Ref(m, 0));
        Assert.False(PteD(m, 2));
    }

    [Fact]
    public void ALazyfreePageStartsCleanWithItsBaselineSet()
    {
        var (_, m) = RunWithMachine(Lazy1 + "thread t\n  force_flush\n", "t*1");
        Assert.True(Lazy(m, 0));
        Assert.True(BaselineSet(m, 0));
        Assert.False(PteD(m, 0));
    }

    // ---- §8.2 hardware ----

    [Fact]
    public void AWriteWalkSetsTheDirtyBitAndAReadDoesNot()
    {
        var (_, read) = RunWithMachine(File1 + "thread t\n  force_flush\n", "cpu0: read 0\nt*1");
        Assert.False(PteD(read, 0));
        var (_, write) = RunWithMachine(File1 + "thread t\n  force_flush\n", "cpu0: write 0\nt*1");
        Assert.True(PteD(write, 0));
    }

    [Fact]
    public void AWriteThroughADirtyEntryTouchesNoPteEvenAfterTheCleaning()
    {
        // the entry cached D = 1; pte_mkclean clears the PTE's D without a flush; the next store sets nothing
        // (a lazy-free page: on a page-cache page the cleaning alone already loses the first store, see LostDirtyTests)
        var (_, m) = RunWithMachine(Lazy1 + "thread t\n  pte_mkclean 0\n", "cpu0: write 0\nt: pte_mkclean 0\ncpu0: write 0");
        Assert.False(PteD(m, 0));
        Assert.Equal(2, Content(m, 0));
    }

    [Fact]
    public void AWriteThroughACleanWritableEntryReWalksAndSetsDirty()
    {
        // a read caches a writable entry with D = 0; the write re-walks the (still writable) PTE and sets D
        var (_, m) = RunWithMachine(File1 + "thread t\n  force_flush\n", "cpu0: read 0\ncpu0: write 0\nt*1");
        Assert.True(PteD(m, 0));
        Assert.Equal(1, Content(m, 0));
    }

    [Fact]
    public void AWriteThroughACleanEntryOverAClearedPteFaults()
    {
        // the re-walk finds the PTE none: the store does not happen (try_to_unmap_one relies on this, 72b252aed506)
        var (_, m) = RunWithMachine(File1 + "thread t\n  pte_clear 0\n", "cpu0: read 0\nt: pte_clear 0\ncpu0: write 0");
        Assert.Equal(0, Content(m, 0));
        Assert.Equal(0UL, Tlb(m) & 1);
    }

    [Fact]
    public void ADeviceWriteThroughACleanEntryReWalksToo()
    {
        var (_, m) = RunWithMachine("kernel 6.6\npages 2\ncpus 0\nsecondary sva exact\nfile 0 1\nthread t\n  pte_clear 0\n",
            "dev0: read 0\nt: pte_clear 0\ndev0: write 0");
        Assert.Equal(0, Content(m, 0));
    }

    [Fact]
    public void AShadowWriteSetsPgDirty()
    {
        var (_, m) = RunWithMachine("kernel 6.6\npages 2\ncpus 0\nsecondary shadow\nfile 0 1\nthread t\n  force_flush\n",
            "shadow0: fault 0\nshadow0: fault 0 (walk)\nshadow0: fault 0 (commit)\nshadow0: write 0\nt*1");
        Assert.True(PgDirty(m, 0));
    }

    [Fact]
    public void AShadowFaultOnAProtnonePteInstallsNothing()
    {
        var (_, m) = RunWithMachine("kernel 6.6\npages 2\ncpus 0\nsecondary shadow\nthread t\n  change_prot_numa 0\n",
            "t: change_prot_numa 0\nshadow0: fault 0\nshadow0: fault 0 (walk)\nshadow0: fault 0 (commit)");
        Assert.Equal(0UL, Spte(m) & 1);
    }

    [Fact]
    public void ProtnoneFailsEveryHardwareWalk()
    {
        var (_, m) = RunWithMachine("kernel 6.6\npages 2\ncpus 1\nthread t\n  change_prot_numa 0\n", "t: change_prot_numa 0\ncpu0: read 0");
        Assert.Equal(0UL, Tlb(m) & 1);
    }

    [Fact]
    public void AnEntryOverAProtnonePteIsStaleForTheProtocol() =>
        // the device cached page 0; change_prot_numa + flush_tlb_range without an invalidation leaves it
        AssertViolation(Run("kernel 6.0\npages 2\ncpus 0\nsecondary sva exact\nthread t\n  ptl_lock\n  change_prot_numa 0\n  flush_tlb_range 0\n  ptl_unlock\n",
            "dev0: read 0\nt*4"), InvariantId.StaleSecondaryAfterFlush, step: 5);

    [Fact]
    public void ProtnoneKeepsTheSavedPermissionForConsequences() =>
        // a stale CPU write through an entry over a protnone, writable PTE is allowed (not access-after-return)
        AssertNoViolation(Run("kernel 6.6\npages 2\ncpus 1\nthread t\n  change_prot_numa 0\n", "cpu0: write 0\nt: change_prot_numa 0\ncpu0: write 0"));

    // ---- §8.3 changed ops ----

    [Fact]
    public void ClearingADirtyFilePteSetsPgDirtyAndAClearOneDoesNot()
    {
        var (_, dirty) = RunWithMachine(File1 + "thread t\n  pte_clear 0\n", "cpu0: write 0\nt: pte_clear 0");
        Assert.True(PgDirty(dirty, 0));
        var (_, clean) = RunWithMachine(File1 + "thread t\n  pte_clear 0\n", "cpu0: read 0\nt: pte_clear 0");
        Assert.False(PgDirty(clean, 0));
    }

    [Fact]
    public void PteMoveCarriesDirtyAndProtnoneWithoutTransferring()
    {
        var (_, m) = RunWithMachine("kernel 6.6\npages 4\ncpus 1\nfile 0 1\nunmapped 2 4\nthread t\n  pte_move 0 1 2\n",
            "cpu0: write 0\nt: pte_move 0 1 2");
        Assert.True(PteD(m, 2));
        Assert.False(PgDirty(m, 0));
        var (_, n) = RunWithMachine("kernel 6.6\npages 4\ncpus 1\nunmapped 2 4\nthread t\n  change_prot_numa 0\n  pte_move 0 1 2\n", "t*2");
        Assert.True(Protnone(n, 2));
        Assert.False(Protnone(n, 0));
    }

    [Fact]
    public void PteInstallSetsDirtyToWritable()
    {
        // a fresh frame is anonymous (untracked), so its D reads 1 whatever was stored (§8.1); what the row changes is
        // that the PTE over the file page no longer carries the file page's D = 0
        var (_, rw) = RunWithMachine(File1 + "thread t\n  pte_install 0\n", "t*1");
        Assert.True(PteD(rw, 0));
        Assert.Equal(2, rw.State.I[rw.State.PteFrame + 0]);
    }

    [Fact]
    public void PteRestoreRoClearsDirtyAndPlainRestoreGivesItBack()
    {
        const string path = File1 + "thread t\n  pte_clear 0\n  pte_restore 0 RO\n";
        var (_, ro) = RunWithMachine(path.Replace("RO", "ro"), "cpu0: write 0\nt*2");
        Assert.False(PteD(ro, 0));
        var (_, plain) = RunWithMachine(path.Replace(" RO", ""), "cpu0: write 0\nt*2");
        Assert.True(PteD(plain, 0));
    }

    [Fact]
    public void PtepSetAccessFlagsSetsDirty()
    {
        var (_, m) = RunWithMachine("kernel 6.6\npages 2\ncpus 1\nfile 0 1\nreadonly 0 1\nthread t\n  ptep_set_access_flags 0\n", "t*1");
        Assert.True(PteD(m, 0));
        Assert.True(Writable(m, 0));
    }

    [Theory]
    [InlineData(false, 1UL)] // protnone while nothing is pending: pte_accessible() is false, no flush
    [InlineData(true, 0UL)]  // a flush is pending: pte_accessible() is true, flush
    public void PtepClearFlushSkipsTheFlushOfAnInaccessibleProtnonePte(bool pending, ulong tlbLeft)
    {
        string path = "kernel 6.6\npages 2\ncpus 1\nthread t\n  change_prot_numa 0\n" + (pending ? "  inc_tlb_flush_pending\n" : "  force_flush\n") + "  ptep_clear_flush 0\n";
        var (_, m) = RunWithMachine(path, "cpu0: read 0\nt*3");
        Assert.Equal(tlbLeft, Tlb(m) & 1);
    }

    // ---- §8.3 new ops ----

    [Fact]
    public void ForceFlushSetsTheFlagAndTlbFlushMmuClearsIt()
    {
        const string path = "kernel 6.6\npages 2\ncpus 1\nthread t\n  tlb_gather_mmu\n  force_flush\n  tlb_flush_mmu_tlbonly\n  tlb_flush_mmu\n  tlb_finish_mmu\n";
        var (_, a) = RunWithMachine(path, "t*3");
        Assert.True(ForceFlush(a)); // tlbonly leaves it
        var (_, b) = RunWithMachine(path, "t*4");
        Assert.False(ForceFlush(b));
    }

    [Fact]
    public void PteMkcleanClearsDirtyWithoutTransferOrFlush()
    {
        var (_, m) = RunWithMachine(File1 + "thread t\n  pte_mkclean 0\n", "cpu0: write 0\nt*1");
        Assert.False(PteD(m, 0));
        Assert.False(PgDirty(m, 0));
        Assert.Equal(1UL, Tlb(m) & 1);
    }

    [Fact]
    public void TlbFlushMmuTlbonlyFlushesWithoutFreeing()
    {
        const string path = "kernel 6.6\npages 2\ncpus 1\nreuse off\nthread t\n  tlb_gather_mmu\n  zap_pte_range 0\n  tlb_flush_mmu_tlbonly\n  tlb_finish_mmu\n";
        var (_, m) = RunWithMachine(path, "cpu0: read 0\nt*3");
        Assert.Equal(0UL, Tlb(m) & 1);
        Assert.Equal(ModelState.OwnerMm, m.State.I[m.State.FrameOwner + 0]);
        Assert.Equal(0, m.State.I[m.State.GatherCleared + 0]);
        Assert.Equal(0UL, m.State.W[m.State.GatherEnd + 0]); // range reset
    }

    [Fact]
    public void TlbFlushPteRangeWidensTheGatherAndMarksItCleared()
    {
        var (_, m) = RunWithMachine("kernel 6.6\npages 4\ncpus 1\nthread t\n  tlb_gather_mmu\n  tlb_flush_pte_range 1 3\n  tlb_finish_mmu\n", "t*2");
        Assert.Equal(0x1000UL, m.State.W[m.State.GatherStart + 0]);
        Assert.Equal(0x3000UL, m.State.W[m.State.GatherEnd + 0]);
        Assert.Equal(1, m.State.I[m.State.GatherCleared + 0]);
    }

    private const string ZapWithRmaps = "kernel 6.2\npages 2\ncpus 1\nfile 0 1\nthread t\n  tlb_gather_mmu\n  ptl_lock\n  zap_pte_range 0\n  tlb_flush_rmaps\n  ptl_unlock\n  tlb_finish_mmu\nthread w\n  writeback 0\n";

    [Fact]
    public void ADelayedRmapKeepsTheFrameMappedUntilTlbFlushRmaps()
    {
        var (_, m) = RunWithMachine(ZapWithRmaps, "cpu0: write 0\nt*3");
        Assert.True(m.CanStep(Choice.Thread(1)) is false); // writeback waits for the PTL: the rmap is still there
        Assert.Equal(1, m.MapcountForTests(0));
        var (_, n) = RunWithMachine(ZapWithRmaps, "cpu0: write 0\nt*4");
        Assert.Equal(0, n.MapcountForTests(0));
    }

    [Fact]
    public void WritebackWaitsForThePtlOnlyWhileTheFrameIsMapped()
    {
        // 6.1: the rmap went at the clear, so writeback runs while the zapper still holds the PTL
        var (_, m) = RunWithMachine(ZapWithRmaps.Replace("kernel 6.2", "kernel 6.1").Replace("  tlb_flush_rmaps\n", ""), "cpu0: write 0\nt*3");
        Assert.True(m.CanStep(Choice.Thread(1)));
    }

    [Fact]
    public void WritebackCleansWriteProtectsFlushesAndWritesDisk()
    {
        var (_, m) = RunWithMachine("kernel 6.6\npages 2\ncpus 1\nsecondary sva exact\nfile 0 1\nthread w\n  writeback 0\n",
            "cpu0: write 0\ndev0: read 0\nw: writeback 0");
        Assert.False(PteD(m, 0));
        Assert.False(Writable(m, 0));
        Assert.Equal(0UL, Tlb(m) & 1);
        Assert.Equal(0UL, Iotlb(m) & 1);
        Assert.False(PgDirty(m, 0));
        Assert.Equal(1, Disk(m, 0));
        Assert.True(OnDisk(m, 0));
    }

    [Theory]
    [InlineData("6.0")] // page_vma_mkclean_one's invalidate_range_end calls ->invalidate_range (the source, not §3.4's CPU-only flush)
    [InlineData("6.6")] // ptep_clear_flush's arch flush calls arch_invalidate_secondary_tlbs
    public void WritebackInvalidatesTheDeviceInEveryRelease(string release)
    {
        var (result, m) = RunWithMachine($"kernel {release}\npages 2\ncpus 0\nsecondary sva exact\nfile 0 1\nthread w\n  writeback 0\n",
            "dev0: write 0\nw: writeback 0");
        Assert.Equal(0UL, Iotlb(m) & 1);
        Assert.Equal(1, result.Costs.SecondaryInvalidations);
    }

    [Fact]
    public void TlbFlushMmuRemovesLeftoverDelayedRmaps()
    {
        var (_, m) = RunWithMachine("kernel 6.2\npages 2\ncpus 1\nfile 0 1\nthread t\n  tlb_gather_mmu\n  zap_pte_range 0\n  tlb_flush_mmu\n  tlb_finish_mmu\n", "cpu0: write 0\nt*2");
        Assert.Equal(1, m.MapcountForTests(0));
        var (_, n) = RunWithMachine("kernel 6.2\npages 2\ncpus 1\nfile 0 1\nthread t\n  tlb_gather_mmu\n  zap_pte_range 0\n  tlb_flush_mmu\n  tlb_finish_mmu\n", "cpu0: write 0\nt*3");
        Assert.Equal(0, n.MapcountForTests(0));
    }

    [Fact]
    public void WritebackOfACleanFrameLeavesDiskAndPtesAlone()
    {
        var (_, m) = RunWithMachine("kernel 6.6\npages 2\ncpus 1\nfile 0 1\nreadonly 0 1\nthread w\n  writeback 0\n", "cpu0: read 0\nw: writeback 0");
        Assert.Equal(1UL, Tlb(m) & 1); // nothing to clean: no flush
        Assert.Equal(0, Disk(m, 0));
    }

    [Fact]
    public void WritebackDropsShadowEntriesAndIsNotAPteChangeOutsideTheNotifier() =>
        AssertNoViolation(Run("kernel 6.6\npages 2\ncpus 1\nsecondary shadow\nfile 0 1\nthread w\n  writeback 0\n",
            "cpu0: write 0\nshadow0: fault 0\nshadow0: fault 0 (walk)\nshadow0: fault 0 (commit)\nw: writeback 0\nshadow0: write 0"));

    [Fact]
    public void MadviseFreeMakesTheFrameLazyCleansTheDirtyPteAndGathersIt()
    {
        var (_, m) = RunWithMachine("kernel 6.6\npages 2\ncpus 1\nthread t\n  tlb_gather_mmu\n  madvise_free 0\n  tlb_finish_mmu\n", "t*2");
        Assert.True(Lazy(m, 0));
        Assert.False(PteD(m, 0));
        Assert.True(Writable(m, 0));
        Assert.Equal(1, m.State.I[m.State.GatherCleared + 0]);
        Assert.False(BaselineSet(m, 0)); // not before the thread ends (§8.4 rule 5)
        var (_, n) = RunWithMachine("kernel 6.6\npages 2\ncpus 1\nthread t\n  tlb_gather_mmu\n  madvise_free 0\n  tlb_finish_mmu\n", "t*3");
        Assert.True(BaselineSet(n, 0));
    }

    [Fact]
    public void MadviseFreeSkipsPageCachePages()
    {
        var (_, m) = RunWithMachine(File1 + "thread t\n  tlb_gather_mmu\n  madvise_free 0\n  tlb_finish_mmu\n", "cpu0: write 0\nt*2");
        Assert.False(Lazy(m, 0));
        Assert.True(PteD(m, 0));
    }

    [Fact]
    public void ChangeProtNumaMakesPresentPtesProtnoneWithoutAFlush()
    {
        var (_, m) = RunWithMachine("kernel 6.6\npages 2\ncpus 1\nunmapped 1 2\nthread t\n  change_prot_numa 0 2\n", "cpu0: read 0\nt*1");
        Assert.True(Protnone(m, 0));
        Assert.False(Protnone(m, 1));
        Assert.Equal(1UL, Tlb(m) & 1);
    }

    [Fact]
    public void SetAndClearTlbFlushPendingAreABoolean()
    {
        var (_, m) = RunWithMachine("kernel 4.12\npages 2\ncpus 1\nthread a\n  set_tlb_flush_pending\n  set_tlb_flush_pending\n  clear_tlb_flush_pending\n", "a*2");
        Assert.Equal(1, m.State.I[m.State.TlbFlushPending]);
        var (_, n) = RunWithMachine("kernel 4.12\npages 2\ncpus 1\nthread a\n  set_tlb_flush_pending\n  set_tlb_flush_pending\n  clear_tlb_flush_pending\n", "a*3");
        Assert.Equal(0, n.State.I[n.State.TlbFlushPending]);
    }

    private const string Discard = "kernel 6.6\npages 2\ncpus 1\nlazyfree 0 1\nthread r\n  get_page 0\n  pte_clear 0\n  lazyfree_discard 0\n  put_page 0\n";

    [Fact]
    public void LazyfreeDiscardDropsACleanFrame()
    {
        var (_, m) = RunWithMachine(Discard, "r*3");
        Assert.True(Discarded(m, 0));
        Assert.False(Present(m, 0));
        Assert.Equal(1, Ref(m, 0)); // the mapping's reference dropped, reclaim's left
    }

    [Fact]
    public void LazyfreeDiscardPutsADirtiedFrameBack()
    {
        var (_, m) = RunWithMachine(Discard, "cpu0: write 0\nr*3");
        Assert.False(Discarded(m, 0));
        Assert.True(Present(m, 0));
        Assert.True(Writable(m, 0));
        Assert.False(Lazy(m, 0));
    }

    [Theory]
    [InlineData("5.17", true)]
    [InlineData("5.18", false)]
    public void APinnedLazyFrameIsDiscardedOnlyBefore518(string release, bool discarded)
    {
        string path = Discard.Replace("kernel 6.6", "kernel " + release) + "thread g\n  get_user_pages 0\n";
        var (_, m) = RunWithMachine(path, "g*1\nr*3");
        Assert.Equal(discarded, Discarded(m, 0));
    }

    [Fact]
    public void GetUserPagesPinsOnlyAPresentWritableNotProtnonePte()
    {
        var (_, m) = RunWithMachine("kernel 6.6\npages 3\ncpus 1\nreadonly 1 2\nthread g\n  change_prot_numa 2\n  get_user_pages 0\n  get_user_pages 1\n  get_user_pages 2\n", "g*4");
        Assert.Equal(2, Ref(m, 0));
        Assert.Equal(1, Ref(m, 1));
        Assert.Equal(1, Ref(m, 2));
    }

    [Fact]
    public void DmaWriteSetPageDirtyAndUnpinActOnThePin()
    {
        const string path = "kernel 6.6\npages 2\ncpus 1\nfile 0 1\nthread g\n  get_user_pages 0\n  dma_write 0\n  set_page_dirty 0\n  unpin_user_page 0\n  dma_write 1\n";
        var (_, m) = RunWithMachine(path, "g*5");
        Assert.Equal(1, Content(m, 0));
        Assert.False(PteD(m, 0)); // no translation, no D
        Assert.True(PgDirty(m, 0));
        Assert.Equal(2, Ref(m, 0));
        Assert.Equal(0, Content(m, 1)); // no pin at 1: nothing
    }

    // ---- conditions ----

    [Theory]
    [InlineData("pte_dirty 0", "cpu0: write 0", true)]
    [InlineData("pte_dirty 0", "cpu0: read 0", false)]
    [InlineData("pte_protnone 0", "t2: change_prot_numa 0", true)]
    [InlineData("pte_accessible 0", "t2: change_prot_numa 0", false)]
    [InlineData("pte_accessible 0", "t2: inc_tlb_flush_pending\nt2: change_prot_numa 0", true)]
    [InlineData("pte_writable 0", "t2: change_prot_numa 0", false)]
    [InlineData("pte_readonly 0", "t2: change_prot_numa 0", true)]
    [InlineData("unflushed", "t2: force_flush", false)]
    [InlineData("pte_none 1 or pte_dirty 0", "cpu0: write 0", true)]
    [InlineData("pte_none 1 or !pte_dirty 0", "cpu0: write 0", false)]
    [InlineData("!pte_none 1 or pte_none 0", "cpu0: read 0", true)]
    public void ConditionsReadTheDirtyState(string condition, string before, bool runs)
    {
        string path = $"kernel 6.6\npages 2\ncpus 1\nfile 0 1\nthread t\n  if {condition} flush_tlb_mm\nthread t2\n  change_prot_numa 0\n  inc_tlb_flush_pending\n  force_flush\n";
        if (before.Contains("inc_tlb_flush_pending", StringComparison.Ordinal))
            path = path.Replace("  change_prot_numa 0\n  inc_tlb_flush_pending\n", "  inc_tlb_flush_pending\n  change_prot_numa 0\n", StringComparison.Ordinal);
        var (result, m) = RunWithMachine(path, "cpu0: read 1\n" + before + "\nt*1");
        Assert.Equal(runs ? 0UL : 2UL, Tlb(m) & 2);
        Assert.Equal(runs ? 1 : 0, result.Costs.FullFlushes);
    }

    [Fact]
    public void ForceFlushAndUnflushedAreThisThreadsOwn()
    {
        const string path = "kernel 6.6\npages 2\ncpus 1\nthread a\n  pte_wrprotect 0\n  force_flush\n  if unflushed flush_tlb_range 0\n  if force_flush flush_tlb_mm\nthread b\n  if unflushed flush_tlb_mm\n  if force_flush flush_tlb_mm\n";
        var (result, _) = RunWithMachine(path, "a*2\nb*2");
        Assert.Equal(0, result.Costs.FullFlushes); // b changed nothing and set nothing
        var (again, _) = RunWithMachine(path, "a*4");
        Assert.Equal(1, again.Costs.FullFlushes);
    }
}
