using Checker.Vocabulary;
using Xunit;
using static Checker.Properties.Support.Models;

namespace Checker.Properties.Dirty;

/// <summary><c>lost-dirty</c> (DESIGN §8.4), clause by clause: a schedule that violates it and a close variant (one
/// line or one step moved) that does not.</summary>
public sealed class LostDirtyTests
{
    // ---- (a): a page-cache frame off disk, PG_dirty clear, no dirty PTE ----

    private const string ZapThenWriteback = """
        kernel 6.1
        pages 2
        cpus 1
        file 0 1
        thread t
          tlb_gather_mmu
          zap_pte_range 0
          tlb_finish_mmu
        thread w
          writeback 0
        """;

    [Fact]
    public void AStoreThroughAStaleDirtyEntryAfterWritebackIsLost() =>
        AssertViolation(Run(ZapThenWriteback, """
            cpu0: write 0
            t: tlb_gather_mmu
            t: zap_pte_range 0
            w: writeback 0
            cpu0: write 0
            """), InvariantId.LostDirty, step: 5);

    [Fact]
    public void TheSameStoreBeforeWritebackIsWrittenBack() =>
        AssertNoViolation(Run(ZapThenWriteback, """
            cpu0: write 0
            t: tlb_gather_mmu
            t: zap_pte_range 0
            cpu0: write 0
            w: writeback 0
            t: tlb_finish_mmu
            """));

    [Fact]
    public void AStoreThroughADirtyEntryAfterPteMkcleanIsLostAtOnce() =>
        // content moves off disk while neither PG_dirty nor the (cleaned) PTE says so
        AssertViolation(Run("kernel 6.6\npages 2\ncpus 1\nfile 0 1\nthread t\n  pte_mkclean 0\n",
            "cpu0: write 0\nt: pte_mkclean 0\ncpu0: write 0"), InvariantId.LostDirty, step: 2);

    [Fact]
    public void ADirtyPteOrPgDirtyKeepsTheDataOwed()
    {
        // the store sets the PTE's D: content != disk is fine while that holds
        AssertNoViolation(Run("kernel 6.6\npages 2\ncpus 1\nfile 0 1\nthread t\n  pte_clear 0\n", "cpu0: write 0\nt: pte_clear 0"));
    }

    [Fact]
    public void APinnedFrameIsNotCheckedUntilItsUnpin()
    {
        const string path = "kernel 6.6\npages 2\ncpus 1\nfile 0 1\nthread g\n  get_user_pages 0\n  dma_write 0\n  SETDIRTY\n  unpin_user_page 0\n";
        AssertNoViolation(Run(path.Replace("SETDIRTY", "set_page_dirty 0"), "g*4"));
        AssertViolation(Run(path.Replace("SETDIRTY", "force_flush"), "g*4"), InvariantId.LostDirty, step: 4);
    }

    // ---- (b) at a discard: a lazy-free frame written since MADV_FREE returned ----

    private const string MadviseThenReclaim = """
        kernel 6.6
        pages 2
        cpus 1
        thread m
          tlb_gather_mmu
          madvise_free 0
          tlb_finish_mmu
        thread r
          get_page 0
          ptl_lock
          pte_clear 0
          lazyfree_discard 0
          ptl_unlock
          put_page 0
        """;

    private const string CleanThenReclaim = """
        kernel 6.6
        pages 2
        cpus 1
        lazyfree 0 1
        thread t
          pte_mkclean 0
          FLUSH
        thread r
          get_page 0
          pte_clear 0
          lazyfree_discard 0
          put_page 0
        """;

    [Fact]
    public void DiscardingAFrameStoredToThroughACachedDirtyEntryLosesTheStore() =>
        // the second store goes through the entry that cached D = 1 and does not set the cleaned PTE's D again
        AssertViolation(Run(CleanThenReclaim.Replace("FLUSH", "force_flush", StringComparison.Ordinal), """
            cpu0: write 0
            t*2
            cpu0: write 0
            r*3
            """), InvariantId.LostDirty, step: 7);

    [Fact]
    public void FlushingAfterTheCleaningMakesTheStoreSetDirtyAndReclaimKeepsThePage() =>
        AssertNoViolation(Run(CleanThenReclaim.Replace("FLUSH", "flush_tlb_page 0", StringComparison.Ordinal), """
            cpu0: write 0
            t*2
            cpu0: write 0
            r*4
            """));

    [Fact]
    public void TheSameStoreIsSafeWhenMadviseFreeFlushesBeforeReturning() =>
        AssertNoViolation(Run(MadviseThenReclaim, """
            cpu0: write 0
            m*3
            cpu0: write 0
            r*6
            """));

    // ---- (b) at a write: a store reaching a discarded frame ----

    private const string PinnedLazy = """
        kernel KERNEL
        pages 2
        cpus 1
        lazyfree 0 1
        thread g
          get_user_pages 0
          dma_write 0
          set_page_dirty 0
          unpin_user_page 0
        thread r
          get_page 0
          pte_clear 0
          lazyfree_discard 0
          put_page 0
        """;

    [Fact]
    public void ADmaWriteToADiscardedPinnedFrameIsLost() =>
        AssertViolation(Run(PinnedLazy.Replace("KERNEL", "5.17", StringComparison.Ordinal), """
            g: get_user_pages 0
            r: get_page 0
            r: pte_clear 0
            r: lazyfree_discard 0
            g: dma_write 0
            """), InvariantId.LostDirty, step: 5);

    [Fact]
    public void From518TheRefcountCheckKeepsThePinnedFrame() =>
        AssertNoViolation(Run(PinnedLazy.Replace("KERNEL", "5.18", StringComparison.Ordinal), """
            g: get_user_pages 0
            r: get_page 0
            r: pte_clear 0
            r: lazyfree_discard 0
            g: dma_write 0
            g: set_page_dirty 0
            g: unpin_user_page 0
            r: put_page 0
            """));

    [Fact]
    public void AStoreRacingMadviseFreeItselfMayBeLost() =>
        // §8.4 rule 5: no baseline until madvise_free's thread ends, so a discard before that loses nothing it promised
        AssertNoViolation(Run("""
            kernel 6.6
            pages 2
            cpus 1
            thread m
              tlb_gather_mmu
              madvise_free 0
              get_page 0
              pte_clear 0
              lazyfree_discard 0
              tlb_finish_mmu
            """, """
            cpu0: write 0
            m: tlb_gather_mmu
            m: madvise_free 0
            cpu0: write 0
            m*4
            """));
}
