namespace Checker.Vocabulary;

/// <summary>Every op of the ordering language, named as the kernel names it (DESIGN §2).</summary>
public enum OpCode : byte
{
    // locks
    /// <summary>The op <c>mmap_read_lock</c> (see <see cref="OpInfo"/>).</summary>
    MmapReadLock,
    /// <summary>The op <c>mmap_read_unlock</c> (see <see cref="OpInfo"/>).</summary>
    MmapReadUnlock,
    /// <summary>The op <c>mmap_write_lock</c> (see <see cref="OpInfo"/>).</summary>
    MmapWriteLock,
    /// <summary>The op <c>mmap_write_unlock</c> (see <see cref="OpInfo"/>).</summary>
    MmapWriteUnlock,
    /// <summary>The op <c>ptl_lock</c> (see <see cref="OpInfo"/>).</summary>
    PtlLock,
    /// <summary>The op <c>ptl_unlock</c> (see <see cref="OpInfo"/>).</summary>
    PtlUnlock,
    /// <summary>The op <c>lock</c> (see <see cref="OpInfo"/>).</summary>
    Lock,
    /// <summary>The op <c>unlock</c> (see <see cref="OpInfo"/>).</summary>
    Unlock,

    // mmu_notifier
    /// <summary>The op <c>invalidate_range_start</c> (see <see cref="OpInfo"/>).</summary>
    InvalidateRangeStart,
    /// <summary>The op <c>invalidate_range_end</c> (see <see cref="OpInfo"/>).</summary>
    InvalidateRangeEnd,
    /// <summary>The op <c>invalidate_range_only_end</c> (see <see cref="OpInfo"/>).</summary>
    InvalidateRangeOnlyEnd,
    /// <summary>The op <c>invalidate_range</c> (see <see cref="OpInfo"/>).</summary>
    InvalidateRange,
    /// <summary>The op <c>arch_invalidate_secondary_tlbs</c> (see <see cref="OpInfo"/>).</summary>
    ArchInvalidateSecondaryTlbs,
    /// <summary>The op <c>change_pte</c> (see <see cref="OpInfo"/>).</summary>
    ChangePte,
    /// <summary>The op <c>release</c> (see <see cref="OpInfo"/>).</summary>
    Release,

    // page-table entries
    /// <summary>The op <c>pte_clear</c> (see <see cref="OpInfo"/>).</summary>
    PteClear,
    /// <summary>The op <c>pte_wrprotect</c> (see <see cref="OpInfo"/>).</summary>
    PteWrprotect,
    /// <summary>The op <c>pte_mkwrite</c> (see <see cref="OpInfo"/>).</summary>
    PteMkwrite,
    /// <summary>The op <c>pte_install</c> (see <see cref="OpInfo"/>).</summary>
    PteInstall,
    /// <summary>The op <c>pte_restore</c> (see <see cref="OpInfo"/>).</summary>
    PteRestore,
    /// <summary>The op <c>pte_move</c> (see <see cref="OpInfo"/>).</summary>
    PteMove,
    /// <summary>The op <c>ptep_set_access_flags</c> (see <see cref="OpInfo"/>).</summary>
    PtepSetAccessFlags,

    // pages
    /// <summary>The op <c>copy_page</c> (see <see cref="OpInfo"/>).</summary>
    CopyPage,
    /// <summary>The op <c>get_page</c> (see <see cref="OpInfo"/>).</summary>
    GetPage,
    /// <summary>The op <c>put_page</c> (see <see cref="OpInfo"/>).</summary>
    PutPage,

    // CPU TLB
    /// <summary>The op <c>flush_tlb_range</c> (see <see cref="OpInfo"/>).</summary>
    FlushTlbRange,
    /// <summary>The op <c>flush_tlb_page</c> (see <see cref="OpInfo"/>).</summary>
    FlushTlbPage,
    /// <summary>The op <c>flush_tlb_mm</c> (see <see cref="OpInfo"/>).</summary>
    FlushTlbMm,
    /// <summary>The op <c>ptep_clear_flush</c> (see <see cref="OpInfo"/>).</summary>
    PtepClearFlush,
    /// <summary>The op <c>ptep_clear_flush_notify</c> (see <see cref="OpInfo"/>).</summary>
    PtepClearFlushNotify,
    /// <summary>The op <c>inc_tlb_flush_pending</c> (see <see cref="OpInfo"/>).</summary>
    IncTlbFlushPending,
    /// <summary>The op <c>dec_tlb_flush_pending</c> (see <see cref="OpInfo"/>).</summary>
    DecTlbFlushPending,
    /// <summary>The op <c>set_tlb_ubc_flush_pending</c> (see <see cref="OpInfo"/>).</summary>
    SetTlbUbcFlushPending,
    /// <summary>The op <c>try_to_unmap_flush</c> (see <see cref="OpInfo"/>).</summary>
    TryToUnmapFlush,
    /// <summary>The op <c>flush_tlb_batched_pending</c> (see <see cref="OpInfo"/>).</summary>
    FlushTlbBatchedPending,

    // mmu_gather
    /// <summary>The op <c>tlb_gather_mmu</c> (see <see cref="OpInfo"/>).</summary>
    TlbGatherMmu,
    /// <summary>The op <c>tlb_gather_mmu_fullmm</c> (see <see cref="OpInfo"/>).</summary>
    TlbGatherMmuFullmm,
    /// <summary>The op <c>zap_pte_range</c> (see <see cref="OpInfo"/>).</summary>
    ZapPteRange,
    /// <summary>The op <c>change_protection</c> (see <see cref="OpInfo"/>).</summary>
    ChangeProtection,
    /// <summary>The op <c>tlb_flush_mmu</c> (see <see cref="OpInfo"/>).</summary>
    TlbFlushMmu,
    /// <summary>The op <c>tlb_finish_mmu</c> (see <see cref="OpInfo"/>).</summary>
    TlbFinishMmu,

    // scheduling
    /// <summary>The op <c>wait_pte</c> (see <see cref="OpInfo"/>).</summary>
    WaitPte,

    // environment (explicit threads only)
    /// <summary>The op <c>read</c> (see <see cref="OpInfo"/>).</summary>
    Read,
    /// <summary>The op <c>write</c> (see <see cref="OpInfo"/>).</summary>
    Write,
    /// <summary>The op <c>prefetch</c> (see <see cref="OpInfo"/>).</summary>
    Prefetch,
    /// <summary>The op <c>fault</c> (see <see cref="OpInfo"/>).</summary>
    Fault,
    /// <summary>The op <c>reuse</c> (see <see cref="OpInfo"/>).</summary>
    Reuse,
    /// <summary>§7 (issue 12): the op <c>gup_fast</c> of an explicit GUP-fast thread (see <see cref="OpInfo"/>).</summary>
    GupFast,

    // §7 the page-table tree
    /// <summary>The op <c>pmd_clear</c> (see <see cref="OpInfo"/>).</summary>
    PmdClear,
    /// <summary>The op <c>pte_free</c> (see <see cref="OpInfo"/>).</summary>
    PteFree,
    /// <summary>The op <c>pte_free_tlb</c> (see <see cref="OpInfo"/>).</summary>
    PteFreeTlb,
    /// <summary>The op <c>free_pgtables</c> (see <see cref="OpInfo"/>).</summary>
    FreePgtables,
    /// <summary>The op <c>pmd_free_pte_page</c> (see <see cref="OpInfo"/>).</summary>
    PmdFreePtePage,
    /// <summary>The op <c>set_pmd_at</c> (see <see cref="OpInfo"/>).</summary>
    SetPmdAt,
    /// <summary>The op <c>pmdp_huge_get_and_clear</c> (see <see cref="OpInfo"/>).</summary>
    PmdpHugeGetAndClear,
    /// <summary>The op <c>pmdp_huge_clear_flush</c> (see <see cref="OpInfo"/>).</summary>
    PmdpHugeClearFlush,
    /// <summary>The op <c>pmdp_collapse_flush</c> (see <see cref="OpInfo"/>).</summary>
    PmdpCollapseFlush,
    /// <summary>The op <c>pmdp_invalidate</c> (see <see cref="OpInfo"/>).</summary>
    PmdpInvalidate,
    /// <summary>The op <c>split_huge_pmd</c> (see <see cref="OpInfo"/>).</summary>
    SplitHugePmd,
    /// <summary>The op <c>zap_huge_pmd</c> (see <see cref="OpInfo"/>).</summary>
    ZapHugePmd,
    /// <summary>The op <c>tlb_flush_pmd_range</c> (see <see cref="OpInfo"/>).</summary>
    TlbFlushPmdRange,
    /// <summary>The op <c>tlb_remove_table_sync_one</c> (see <see cref="OpInfo"/>).</summary>
    TlbRemoveTableSyncOne,
    /// <summary>The op <c>flush_tlb_kernel_range</c> (see <see cref="OpInfo"/>).</summary>
    FlushTlbKernelRange,
    /// <summary>The op <c>__flush_tlb_kernel_pgtable</c> (see <see cref="OpInfo"/>).</summary>
    FlushTlbKernelPgtable,
    /// <summary>The op <c>iommu_sva_invalidate_kva_range</c> (see <see cref="OpInfo"/>).</summary>
    IommuSvaInvalidateKvaRange,
    /// <summary>The op <c>move_pgt_entry</c> (see <see cref="OpInfo"/>).</summary>
    MovePgtEntry,
    // §7 a second mm (hugetlb PMD sharing)
    /// <summary>The op <c>huge_pmd_share</c> (see <see cref="OpInfo"/>).</summary>
    HugePmdShare,
    /// <summary>The op <c>huge_pmd_unshare</c> (see <see cref="OpInfo"/>).</summary>
    HugePmdUnshare,
    // §8 dirty data (issue 13): dirty bits, the page cache, writeback, MADV_FREE, PROT_NONE
    /// <summary>The op <c>force_flush</c> (see <see cref="OpInfo"/>).</summary>
    ForceFlush,
    /// <summary>The op <c>pte_mkclean</c> (see <see cref="OpInfo"/>).</summary>
    PteMkclean,
    /// <summary>The op <c>tlb_flush_mmu_tlbonly</c> (see <see cref="OpInfo"/>).</summary>
    TlbFlushMmuTlbonly,
    /// <summary>The op <c>tlb_flush_pte_range</c> (see <see cref="OpInfo"/>).</summary>
    TlbFlushPteRange,
    /// <summary>The op <c>tlb_flush_rmaps</c> (see <see cref="OpInfo"/>).</summary>
    TlbFlushRmaps,
    /// <summary>The op <c>writeback</c> (see <see cref="OpInfo"/>).</summary>
    Writeback,
    /// <summary>The op <c>madvise_free</c> (see <see cref="OpInfo"/>).</summary>
    MadviseFree,
    /// <summary>The op <c>change_prot_numa</c> (see <see cref="OpInfo"/>).</summary>
    ChangeProtNuma,
    /// <summary>The op <c>set_tlb_flush_pending</c> (see <see cref="OpInfo"/>).</summary>
    SetTlbFlushPending,
    /// <summary>The op <c>clear_tlb_flush_pending</c> (see <see cref="OpInfo"/>).</summary>
    ClearTlbFlushPending,
    /// <summary>The op <c>lazyfree_discard</c> (see <see cref="OpInfo"/>).</summary>
    LazyfreeDiscard,
    /// <summary>The op <c>get_user_pages</c> (see <see cref="OpInfo"/>).</summary>
    GetUserPages,
    /// <summary>The op <c>dma_write</c> (see <see cref="OpInfo"/>).</summary>
    DmaWrite,
    /// <summary>The op <c>set_page_dirty</c> (see <see cref="OpInfo"/>).</summary>
    SetPageDirty,
    /// <summary>The op <c>unpin_user_page</c> (see <see cref="OpInfo"/>).</summary>
    UnpinUserPage,
}
