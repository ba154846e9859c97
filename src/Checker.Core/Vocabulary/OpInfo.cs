using System.Collections.Frozen;

namespace Checker.Vocabulary;

/// <summary>
/// The op table of DESIGN §2: each op's kernel name, what it takes, who may run it, in which profiles it
/// exists (the release rule it needs, DESIGN §3.7) and whether it is a commit point for <c>stale-secondary-after-flush</c> by itself (a step that frees
/// a frame, or a thread's last step, is one as well).
/// </summary>
public sealed record OpInfo(
    OpCode Code,
    string Name,
    ArgShape Shape,
    OpRole Role,
    bool CommitPoint,
    string Meaning,
    string? MissingInReleaseHint = null,
    ReleaseRule? Requires = null)
{
    private static readonly OpInfo[] Table = Build();

    private static readonly FrozenDictionary<string, OpInfo> ByNameTable = BuildByName();

    /// <summary>All ops, in <see cref="OpCode"/> order.</summary>
    public static IReadOnlyList<OpInfo> All => Table;

    /// <summary>The row of an op.</summary>
    public static OpInfo Of(OpCode code) => Table[(int)code];

    /// <summary>Finds an op by its word.</summary>
    public static bool TryGet(string name, out OpInfo info) => ByNameTable.TryGetValue(name, out info!);

    /// <summary>True when the op exists under the given release rules.</summary>
    public bool AvailableIn(RuleSet rules) => Requires is not { } rule || rules.Has(rule);

    /// <summary>True for the lock and unlock ops.</summary>
    public bool IsLockOp => Code is OpCode.MmapReadLock or OpCode.MmapReadUnlock or OpCode.MmapWriteLock
        or OpCode.MmapWriteUnlock or OpCode.PtlLock or OpCode.PtlUnlock or OpCode.Lock or OpCode.Unlock;

    /// <summary>True for the environment ops (explicit threads only).</summary>
    public bool IsEnvironment => Role == OpRole.Environment;

    private static OpInfo[] Build()
    {
        var rows = new[]
        {
            new OpInfo(OpCode.MmapReadLock, "mmap_read_lock", ArgShape.None, OpRole.Kernel, false, "take mmap_lock for read"),
            new OpInfo(OpCode.MmapReadUnlock, "mmap_read_unlock", ArgShape.None, OpRole.Kernel, false, "drop mmap_lock (read)"),
            new OpInfo(OpCode.MmapWriteLock, "mmap_write_lock", ArgShape.None, OpRole.Kernel, false, "take mmap_lock for write"),
            new OpInfo(OpCode.MmapWriteUnlock, "mmap_write_unlock", ArgShape.None, OpRole.Kernel, false, "drop mmap_lock (write)"),
            new OpInfo(OpCode.PtlLock, "ptl_lock", ArgShape.None, OpRole.Kernel, false, "take the page-table lock"),
            new OpInfo(OpCode.PtlUnlock, "ptl_unlock", ArgShape.None, OpRole.Kernel, true, "drop the page-table lock"),
            new OpInfo(OpCode.Lock, "lock", ArgShape.LockName, OpRole.Kernel, false, "take another exclusive lock (i_mmap, page lock)"),
            new OpInfo(OpCode.Unlock, "unlock", ArgShape.LockName, OpRole.Kernel, false, "drop that lock"),

            new OpInfo(OpCode.InvalidateRangeStart, "invalidate_range_start", ArgShape.Range, OpRole.Kernel, false,
                "mmu_notifier_invalidate_range_start: shadow secondaries zap R and block refaults"),
            new OpInfo(OpCode.InvalidateRangeEnd, "invalidate_range_end", ArgShape.Range, OpRole.Kernel, true,
                "mmu_notifier_invalidate_range_end (up to 6.5 it first calls ->invalidate_range over R)"),
            new OpInfo(OpCode.InvalidateRangeOnlyEnd, "invalidate_range_only_end", ArgShape.Range, OpRole.Kernel, true,
                "mmu_notifier_invalidate_range_only_end: end without the secondary invalidation",
                "use invalidate_range_end, or a release from 4.15 to 6.5",
                ReleaseRule.InvalidateRangeOnlyEnd),
            new OpInfo(OpCode.InvalidateRange, "invalidate_range", ArgShape.Range, OpRole.Kernel, false,
                "invalidate shared-table secondary TLBs over R now",
                "before 3.19 there is no secondary TLB hook: SVA drivers relied on start/end", ReleaseRule.InvalidateRangeHook),
            new OpInfo(OpCode.ArchInvalidateSecondaryTlbs, "arch_invalidate_secondary_tlbs", ArgShape.Range, OpRole.Kernel, false,
                "invalidate shared-table secondary TLBs over R now (the 6.6 name of invalidate_range)",
                "before 3.19 there is no secondary TLB hook: SVA drivers relied on start/end", ReleaseRule.InvalidateRangeHook),
            new OpInfo(OpCode.ChangePte, "change_pte", ArgShape.Page, OpRole.Kernel, false,
                "set_pte_at_notify's notifier half (no effect on secondaries)",
                "change_pte was removed in 6.10 (997308f9ae72): drop the line, or write a release up to 6.9", ReleaseRule.ChangePte),
            new OpInfo(OpCode.Release, "release", ArgShape.None, OpRole.Kernel, false,
                "mmu_notifier_release: secondaries drop everything and detach"),

            new OpInfo(OpCode.PteClear, "pte_clear", ArgShape.Range, OpRole.Kernel, false,
                "ptep_get_and_clear: PTEs become none; the thread remembers the frames"),
            new OpInfo(OpCode.PteWrprotect, "pte_wrprotect", ArgShape.Range, OpRole.Kernel, false, "downgrade present PTEs to read-only"),
            new OpInfo(OpCode.PteMkwrite, "pte_mkwrite", ArgShape.Range, OpRole.Kernel, false, "upgrade present PTEs to writable"),
            new OpInfo(OpCode.PteInstall, "pte_install", ArgShape.RangeOptionalRo, OpRole.Kernel, true,
                "point R at fresh frames (COW or migration destination)"),
            new OpInfo(OpCode.PteRestore, "pte_restore", ArgShape.RangeOptionalRo, OpRole.Kernel, false,
                "put back the frames this thread last unmapped at R"),
            new OpInfo(OpCode.PteMove, "pte_move", ArgShape.Move, OpRole.Kernel, true,
                "mremap's move_ptes: clear [A,B) and install the same frames at [D, D+B-A)"),
            new OpInfo(OpCode.PtepSetAccessFlags, "ptep_set_access_flags", ArgShape.Page, OpRole.Kernel, false,
                "fault-path upgrade to writable (arm64 flushes the page)"),

            new OpInfo(OpCode.CopyPage, "copy_page", ArgShape.Range, OpRole.Kernel, true, "the kernel reads the pages' contents"),
            new OpInfo(OpCode.GetPage, "get_page", ArgShape.Range, OpRole.Kernel, false, "take a reference on the frames"),
            new OpInfo(OpCode.PutPage, "put_page", ArgShape.Range, OpRole.Kernel, false, "drop a reference; a frame with none left is freed"),

            new OpInfo(OpCode.FlushTlbRange, "flush_tlb_range", ArgShape.Range, OpRole.Kernel, false, "CPU TLB flush of R"),
            new OpInfo(OpCode.FlushTlbPage, "flush_tlb_page", ArgShape.Page, OpRole.Kernel, false, "CPU TLB flush of one page"),
            new OpInfo(OpCode.FlushTlbMm, "flush_tlb_mm", ArgShape.None, OpRole.Kernel, false, "CPU TLB flush of the whole mm"),
            new OpInfo(OpCode.PtepClearFlush, "ptep_clear_flush", ArgShape.Range, OpRole.Kernel, false, "pte_clear + flush_tlb_range"),
            new OpInfo(OpCode.PtepClearFlushNotify, "ptep_clear_flush_notify", ArgShape.Range, OpRole.Kernel, false,
                "ptep_clear_flush + invalidate_range",
                "from 6.6 ptep_clear_flush invalidates the secondaries through the arch flush: use ptep_clear_flush, or a release up to 6.5",
                ReleaseRule.ClearFlushNotify),
            new OpInfo(OpCode.IncTlbFlushPending, "inc_tlb_flush_pending", ArgShape.None, OpRole.Kernel, false, "mm->tlb_flush_pending++",
                "tlb_flush_pending became a counter in 4.13 (16af97dc5a89): write a release from 4.13", ReleaseRule.TlbFlushPendingCounter),
            new OpInfo(OpCode.DecTlbFlushPending, "dec_tlb_flush_pending", ArgShape.None, OpRole.Kernel, false, "mm->tlb_flush_pending--",
                "tlb_flush_pending became a counter in 4.13 (16af97dc5a89): write a release from 4.13", ReleaseRule.TlbFlushPendingCounter),
            new OpInfo(OpCode.SetTlbUbcFlushPending, "set_tlb_ubc_flush_pending", ArgShape.Range, OpRole.Kernel, false,
                "reclaim's deferred flush: batch R, set mm->tlb_flush_batched (4.13+)",
                "reclaim defers its flush from 4.3 (72b252aed506): use ptep_clear_flush, or a later release", ReleaseRule.DeferredFlush),
            new OpInfo(OpCode.TryToUnmapFlush, "try_to_unmap_flush", ArgShape.None, OpRole.Kernel, false, "flush this thread's deferred batch (CPU)",
                "reclaim defers its flush from 4.3 (72b252aed506): use ptep_clear_flush, or a later release", ReleaseRule.DeferredFlush),
            new OpInfo(OpCode.FlushTlbBatchedPending, "flush_tlb_batched_pending", ArgShape.None, OpRole.Kernel, false,
                "if mm->tlb_flush_batched: flush_tlb_mm and clear it",
                "flush_tlb_batched_pending came with 3ea277194daa (4.13): write a release from 4.13", ReleaseRule.TlbFlushBatched),

            new OpInfo(OpCode.TlbGatherMmu, "tlb_gather_mmu", ArgShape.None, OpRole.Kernel, false, "start an mmu_gather"),
            new OpInfo(OpCode.TlbGatherMmuFullmm, "tlb_gather_mmu_fullmm", ArgShape.None, OpRole.Kernel, false, "start a fullmm mmu_gather (exit_mmap)"),
            new OpInfo(OpCode.ZapPteRange, "zap_pte_range", ArgShape.Range, OpRole.Kernel, false,
                "clear present PTEs into the gather; batch their frames for freeing"),
            new OpInfo(OpCode.ChangeProtection, "change_protection", ArgShape.RangeProtection, OpRole.Kernel, false,
                "mprotect's PTE loop: downgrade (ro) or upgrade (rw)"),
            new OpInfo(OpCode.TlbFlushMmu, "tlb_flush_mmu", ArgShape.None, OpRole.Kernel, false, "flush the gather and free its frames"),
            new OpInfo(OpCode.TlbFinishMmu, "tlb_finish_mmu", ArgShape.OptionalRange, OpRole.Kernel, false,
                "nested check, tlb_flush_mmu, tlb_flush_pending--"),

            new OpInfo(OpCode.WaitPte, "wait_pte", ArgShape.Wait, OpRole.Any, false, "not schedulable until PTE P is in that state"),

            new OpInfo(OpCode.Read, "read", ArgShape.EnvPage, OpRole.Environment, false, "read P through this actor's translation"),
            new OpInfo(OpCode.Write, "write", ArgShape.EnvPage, OpRole.Environment, false, "write P through this actor's translation"),
            new OpInfo(OpCode.Prefetch, "prefetch", ArgShape.EnvPage, OpRole.Environment, false, "device ATS translation of P without access"),
            new OpInfo(OpCode.Fault, "fault", ArgShape.EnvPage, OpRole.Environment, false,
                "shadow fault: read_begin, read the PTE, commit or retry (three steps)"),
            new OpInfo(OpCode.Reuse, "reuse", ArgShape.None, OpRole.Environment, false, "the allocator gives the oldest free frame to another owner"),
            // §7 (issue 12): an explicit GUP-fast walker's walk
            new OpInfo(OpCode.GupFast, "gup_fast", ArgShape.EnvPage, OpRole.Environment, false,
                "GUP-fast of P with IRQs off: read the PUD, the PMD entry, the PTE (three steps; 'thread NAME gup K' only)"),

            // §7 the page-table tree
            new OpInfo(OpCode.PmdClear, "pmd_clear", ArgShape.Page, OpRole.Kernel, false,
                "unlink P's PTE table from its PMD entry (kP: the kernel's); the thread keeps the table"),
            new OpInfo(OpCode.PteFree, "pte_free", ArgShape.Page, OpRole.Kernel, false, "free the PTE table this thread unlinked at P now"),
            new OpInfo(OpCode.PteFreeTlb, "pte_free_tlb", ArgShape.PageOptionalWord, OpRole.Kernel, false,
                "batch the unlinked PTE table in the gather (nobatch: tlb_remove_table_one, freed now)"),
            new OpInfo(OpCode.FreePgtables, "free_pgtables", ArgShape.Range, OpRole.Kernel, false,
                "pmd_clear + pte_free_tlb every table region inside R; all pages: the PMD table too"),
            new OpInfo(OpCode.PmdFreePtePage, "pmd_free_pte_page", ArgShape.Page, OpRole.Kernel, false,
                "huge vmap/ioremap: unlink and free kernel PTE table kP (the flush between depends on arch and release)"),
            new OpInfo(OpCode.SetPmdAt, "set_pmd_at", ArgShape.PageOptionalWord, OpRole.Kernel, true,
                "map P's region huge, to fresh frames (content: this thread's copy_page)"),
            new OpInfo(OpCode.PmdpHugeGetAndClear, "pmdp_huge_get_and_clear", ArgShape.Page, OpRole.Kernel, false,
                "clear P's huge PMD; the thread keeps its frames"),
            new OpInfo(OpCode.PmdpHugeClearFlush, "pmdp_huge_clear_flush", ArgShape.Page, OpRole.Kernel, false,
                "clear P's huge PMD, then flush_tlb_range of the region"),
            new OpInfo(OpCode.PmdpCollapseFlush, "pmdp_collapse_flush", ArgShape.Page, OpRole.Kernel, false,
                "unlink P's PTE table (khugepaged), then flush_tlb_range of the region"),
            new OpInfo(OpCode.PmdpInvalidate, "pmdp_invalidate", ArgShape.Page, OpRole.Kernel, false,
                "make P's huge PMD invalid (not present, frames kept), then flush_tlb_range of the region"),
            new OpInfo(OpCode.SplitHugePmd, "split_huge_pmd", ArgShape.Page, OpRole.Kernel, true,
                "pmdp_invalidate, then link a fresh PTE table mapping the huge page's frames"),
            new OpInfo(OpCode.ZapHugePmd, "zap_huge_pmd", ArgShape.Page, OpRole.Kernel, false,
                "clear P's huge PMD into the gather; batch its frames"),
            new OpInfo(OpCode.TlbFlushPmdRange, "tlb_flush_pmd_range", ArgShape.Range, OpRole.Kernel, false,
                "record a PMD-level change over R in the gather",
                "tlb_flush_pmd_range came with a4a118f2eead (5.16): write a release from 5.16", ReleaseRule.TlbFlushPmdRangeExists),
            new OpInfo(OpCode.TlbRemoveTableSyncOne, "tlb_remove_table_sync_one", ArgShape.None, OpRole.Kernel, false,
                "IPI every CPU: waits until no GUP-fast walker is in its IRQs-off window"),
            new OpInfo(OpCode.FlushTlbKernelRange, "flush_tlb_kernel_range", ArgShape.Range, OpRole.Kernel, false,
                "CPU flush of kernel range R (x86: every kernel walk entry too)"),
            new OpInfo(OpCode.FlushTlbKernelPgtable, "__flush_tlb_kernel_pgtable", ArgShape.Page, OpRole.Kernel, false,
                "arm64: TLBI VAAE1IS at kP, dropping the kernel walk entries that span it"),
            new OpInfo(OpCode.IommuSvaInvalidateKvaRange, "iommu_sva_invalidate_kva_range", ArgShape.None, OpRole.Kernel, false,
                "every SVA device invalidates the kernel half (0xffff888000000000, ~0) by its driver arithmetic",
                "iommu_sva_invalidate_kva_range came with e37d5a2d60a3 (6.19): write kernel 6.19", ReleaseRule.SvaInvalidatesKernelRange),
            new OpInfo(OpCode.MovePgtEntry, "move_pgt_entry", ArgShape.PageMove, OpRole.Kernel, true,
                "mremap's move_normal_pmd: move P's whole PTE table to D's empty region (no flush by itself)"),
            // §7 a second mm (hugetlb PMD sharing)
            new OpInfo(OpCode.HugePmdShare, "huge_pmd_share", ArgShape.Page, OpRole.Kernel, false,
                "hugetlb: this thread's mm, its PUD none, points it at mm 0's PMD table (refcount +1)"),
            new OpInfo(OpCode.HugePmdUnshare, "huge_pmd_unshare", ArgShape.Page, OpRole.Kernel, false,
                "hugetlb: if the PMD table is shared, clear this mm's PUD (refcount -1); else nothing"),
            // §8 dirty data (issue 13)
            new OpInfo(OpCode.ForceFlush, "force_flush", ArgShape.None, OpRole.Kernel, false,
                "zap_pte_range's force_flush = 1 (a dirty shared PTE was cleared: flush before the PTL is dropped)"),
            new OpInfo(OpCode.PteMkclean, "pte_mkclean", ArgShape.Range, OpRole.Kernel, false,
                "present PTEs: dirty bit := 0 (no transfer to PG_dirty, no flush)"),
            new OpInfo(OpCode.TlbFlushMmuTlbonly, "tlb_flush_mmu_tlbonly", ArgShape.None, OpRole.Kernel, false,
                "the gather's TLB flush now, without freeing; resets its range",
                "tlb_flush_mmu_tlbonly came with 1cf35d47712d (3.15): use tlb_flush_mmu, or a release from 3.15", ReleaseRule.TlbFlushMmuTlbonly),
            new OpInfo(OpCode.TlbFlushPteRange, "tlb_flush_pte_range", ArgShape.Range, OpRole.Kernel, false,
                "record a PTE change in the gather: widen by R, cleared = 1 (change_pte_range from 6.0)"),
            new OpInfo(OpCode.TlbFlushRmaps, "tlb_flush_rmaps", ArgShape.None, OpRole.Kernel, false,
                "remove this thread's delayed rmaps (after the TLB flush)",
                "delayed rmaps came with 5df397dec7c4 (6.2): drop the line, or write a release from 6.2", ReleaseRule.DelayedRmap),
            new OpInfo(OpCode.Writeback, "writeback", ArgShape.Page, OpRole.Kernel, false,
                "folio_clear_dirty_for_io + I/O of the page-cache frame of P: clean and write-protect its PTEs (flushing them), then disk := content if PG_dirty"),
            new OpInfo(OpCode.MadviseFree, "madvise_free", ArgShape.Range, OpRole.Kernel, false,
                "MADV_FREE: anon frames become lazy-free, PG_dirty := 0; dirty PTEs are cleaned into the gather"),
            new OpInfo(OpCode.ChangeProtNuma, "change_prot_numa", ArgShape.Range, OpRole.Kernel, false,
                "NUMA hinting: present PTEs become PROT_NONE (no flush by itself)"),
            new OpInfo(OpCode.SetTlbFlushPending, "set_tlb_flush_pending", ArgShape.None, OpRole.Kernel, false, "mm->tlb_flush_pending = true",
                "tlb_flush_pending was a boolean from 3.13 to 4.12: use inc_tlb_flush_pending from 4.13", ReleaseRule.TlbFlushPendingBool),
            new OpInfo(OpCode.ClearTlbFlushPending, "clear_tlb_flush_pending", ArgShape.None, OpRole.Kernel, false, "mm->tlb_flush_pending = false",
                "tlb_flush_pending was a boolean from 3.13 to 4.12: use dec_tlb_flush_pending from 4.13", ReleaseRule.TlbFlushPendingBool),
            new OpInfo(OpCode.LazyfreeDiscard, "lazyfree_discard", ArgShape.Page, OpRole.Kernel, false,
                "try_to_unmap_one's MADV_FREE check on the frame this thread unmapped at P: discard it, or put the PTE back"),
            new OpInfo(OpCode.GetUserPages, "get_user_pages", ArgShape.Page, OpRole.Kernel, false,
                "get_user_pages_fast(FOLL_WRITE): pin the frame of a present writable PTE (+1 reference)"),
            new OpInfo(OpCode.DmaWrite, "dma_write", ArgShape.Page, OpRole.Kernel, false, "write this thread's pinned frame at P (no translation, no dirty bit)"),
            new OpInfo(OpCode.SetPageDirty, "set_page_dirty", ArgShape.Page, OpRole.Kernel, false, "PG_dirty := 1 on this thread's pinned frame at P"),
            new OpInfo(OpCode.UnpinUserPage, "unpin_user_page", ArgShape.Page, OpRole.Kernel, false, "drop this thread's pin at P (its reference)"),
        };
        var table = new OpInfo[rows.Length];
        foreach (var row in rows)
        {
            if (table[(int)row.Code] is not null) throw new InvalidOperationException($"duplicate op row {row.Code}");
            table[(int)row.Code] = row;
        }
        for (int i = 0; i < table.Length; i++)
            if (table[i] is null) throw new InvalidOperationException($"missing op row {(OpCode)i}");
        return table;
    }

    private static FrozenDictionary<string, OpInfo> BuildByName()
    {
        var map = new Dictionary<string, OpInfo>(StringComparer.Ordinal);
        foreach (var info in Table) map.Add(info.Name, info);
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
