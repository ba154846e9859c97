namespace Checker.Vocabulary;

/// <summary>
/// The release table (DESIGN §3.7): each behaviour that differs between kernel releases, what it means, the
/// releases where it holds — [<see cref="From"/>, <see cref="Until"/>), <c>Until</c> being the first release
/// without it — and the commits that introduced and removed it. The model asks these rows by name through a
/// <see cref="RuleSet"/>; nothing else in the checker compares releases. <see cref="AskedByModel"/> is false for
/// facts the catalog's paths write out as ops (munmap's lock downgrade), which the table records for readers.
/// </summary>
public sealed record ReleaseRuleInfo(
    ReleaseRule Rule,
    string Name,
    string Meaning,
    KernelRelease From,
    KernelRelease? Until,
    string Introduced,
    string? Removed,
    bool AskedByModel = true)
{
    private static readonly ReleaseRuleInfo[] Table = Build();

    /// <summary>Every rule, in <see cref="ReleaseRule"/> order.</summary>
    public static IReadOnlyList<ReleaseRuleInfo> All => Table;

    /// <summary>The row of a rule.</summary>
    public static ReleaseRuleInfo Of(ReleaseRule rule) => Table[(int)rule];

    /// <summary>True when the rule holds in <paramref name="release"/> (evaluated at its modelled mainline release).</summary>
    public bool HoldsIn(KernelRelease release)
    {
        var r = release.Modelled;
        return r >= From && (Until is not { } until || r < until);
    }

    /// <summary>The releases where the rule holds, as people write them: "4.15-6.5", "6.6+", "up to 6.9".</summary>
    public string Releases
    {
        get
        {
            bool fromStart = From == KernelRelease.Oldest;
            if (Until is not { } until) return fromStart ? "all" : From + "+";
            string last = until.Previous.ToString();
            return fromStart ? "up to " + last : From + "-" + last;
        }
    }

    /// <summary>The commits, introduced and removed, as one line.</summary>
    public string Commits => Removed is null ? Introduced : Introduced + "; until " + Removed;

    // issue 15: a helper change (the 'patch RULE' header)
    /// <summary>Whether the rule holds after its next change following <paramref name="release"/> — the later (fixed)
    /// behaviour a <c>patch</c> line models in that release: true when the rule starts after it, false when it ends
    /// after it, null when it never changes after it (the release already has its last behaviour).</summary>
    public bool? LaterIn(KernelRelease release)
    {
        var r = release.Modelled;
        if (r < From) return true;
        if (Until is { } until && r < until) return false;
        return null;
    }

    /// <summary>The release of the rule's next change after <paramref name="release"/> (null when there is none).</summary>
    public KernelRelease? NextChangeAfter(KernelRelease release) => LaterIn(release) switch
    {
        true => From,
        false => Until,
        null => null,
    };

    /// <summary>The commit of that change: <see cref="Introduced"/> when the rule starts, <see cref="Removed"/> when it ends.</summary>
    public string? NextChangeCommit(KernelRelease release) => LaterIn(release) switch
    {
        true => Introduced,
        false => Removed,
        null => null,
    };

    /// <summary>Finds a rule by its name (<c>nested-finish-fullmm</c>).</summary>
    public static bool TryGet(string name, out ReleaseRule rule)
    {
        foreach (var row in Table)
            if (row.Name == name)
            {
                rule = row.Rule;
                return true;
            }
        rule = default;
        return false;
    }

    private static KernelRelease V(int major, int minor) => new(major, minor);

    private static ReleaseRuleInfo[] Build()
    {
        var oldest = KernelRelease.Oldest;
        var rows = new ReleaseRuleInfo[]
        {
            new(ReleaseRule.TlbFlushPending, "tlb-flush-pending",
                "mm->tlb_flush_pending exists (a bool set and cleared around mprotect's and NUMA hinting's PTE changes); the 'if tlb_flush_pending' condition",
                V(3, 13), null, "20841405940e (v3.13)", null),
            new(ReleaseRule.InvalidateRangeHook, "invalidate-range-hook",
                "the secondary TLB hook exists: mmu_notifier_invalidate_range() / ->invalidate_range (the 'invalidate_range' and 'arch_invalidate_secondary_tlbs' ops); before it, SVA drivers kept coherent from their start/end callbacks (AMD IOMMUv2 switched to an empty table), which the model reads as end invalidating the secondaries",
                V(3, 19), null, "0f0a327fa12c, 34ee645e83b6 (v3.19)", null),
            new(ReleaseRule.EndInvalidatesSecondaries, "end-invalidates-secondaries",
                "mmu_notifier_invalidate_range_end() invalidates the shared-table secondaries over its range before the end callbacks (mn_hlist_invalidate_end calls ->invalidate_range unless only_end)",
                oldest, V(6, 6), "(before 3.10)", "ec8832d007cb (v6.6)"),
            new(ReleaseRule.GatherFlushInvalidatesSecondaries, "gather-flush-invalidates-secondaries",
                "tlb_flush_mmu_tlbonly() calls mmu_notifier_invalidate_range(mm, tlb->start, tlb->end) after the CPU flush: a fullmm or nested-fullmm gather sends (~0, ~0)",
                V(3, 19), V(6, 6), "34ee645e83b6 (v3.19)", "6bbd42e2df8f (v6.6)"),
            new(ReleaseRule.ClearFlushNotify, "ptep-clear-flush-notify",
                "ptep_clear_flush_notify() = ptep_clear_flush() + the secondary invalidation of the page (->invalidate_page before 3.19, ->invalidate_range from 34ee645e83b6) (the 'ptep_clear_flush_notify' op)",
                oldest, V(6, 6), "cddb8a5c14aa (v2.6.27)", "ec8832d007cb (v6.6)"),
            new(ReleaseRule.DeferredFlush, "deferred-flush",
                "reclaim defers its CPU flush: set_tlb_ubc_flush_pending() batches, try_to_unmap_flush() flushes (the two ops)",
                V(4, 3), null, "72b252aed506 (v4.3)", null),
            new(ReleaseRule.TlbFlushPendingCounter, "tlb-flush-pending-counter",
                "mm->tlb_flush_pending is a counter: inc_/dec_tlb_flush_pending, every mmu_gather counts in it, mm_tlb_flush_nested() (> 1) and the 'if tlb_flush_nested' condition",
                V(4, 13), null, "16af97dc5a89, 99baac21e458 (v4.13)", null),
            new(ReleaseRule.TlbFlushBatched, "tlb-flush-batched",
                "mm->tlb_flush_batched: set_tlb_ubc_flush_pending() sets it, flush_tlb_batched_pending() flushes the mm when it is set and clears it (the op and the 'if tlb_flush_batched' condition)",
                V(4, 13), null, "3ea277194daa (v4.13)", null),
            new(ReleaseRule.NestedFinishWidensByRange, "nested-finish-widens",
                "tlb_finish_mmu(tlb, start, end) under mm_tlb_flush_nested() widens the gather by the caller's [start, end) and flushes it (so 'tlb_finish_mmu R' needs R)",
                V(4, 13), V(5, 2), "99baac21e458 (v4.13)", "7a30df49f63a (v5.2)"),
            new(ReleaseRule.NestedFinishResetsFirst, "nested-finish-resets-first",
                "the nested tlb_finish_mmu first resets the gather (__tlb_reset_range: range, freed_tables, cleared) and then widens it by [start, end)",
                V(4, 20), V(5, 2), "a6d60245d6d9 (v4.20, the mmu_gather level tracking)", "7a30df49f63a (v5.2)"),
            new(ReleaseRule.NestedFinishForcesFullFlush, "nested-finish-fullmm",
                "the nested tlb_finish_mmu sets fullmm, resets the range to start = end = ~0 and sets freed_tables: a full CPU flush, and (~0, ~0) to the secondaries while the gather's flush calls the hook; the caller's range is ignored",
                V(5, 2), null, "7a30df49f63a (v5.2)", null),
            new(ReleaseRule.InvalidateRangeOnlyEnd, "invalidate-range-only-end",
                "mmu_notifier_invalidate_range_only_end(): end without the secondary invalidation, for callers that called invalidate_range at the CPU flush (the 'invalidate_range_only_end' op)",
                V(4, 15), V(6, 6), "0f10851ea475, 4645b9fe84bf (v4.15)", "ec8832d007cb (v6.6)"),
            new(ReleaseRule.MunmapDowngradesMmapLock, "munmap-downgrades-mmap-lock",
                "munmap zaps and frees under mmap_lock downgraded to read (__do_munmap; 6.1 do_mas_align_munmap, skipped next to a VM_GROWSDOWN/UP neighbour; 6.5 do_vmi_align_munmap; 6.12 vms_complete_munmap_vmas) — a fact for the paths: a catalog file writes munmap's lock ops itself",
                V(4, 20), null, "dd2283f2605e (v4.20)", null, AskedByModel: false),
            new(ReleaseRule.GatherFlushesOnlyWhatWasCleared, "gather-flushes-only-cleared",
                "tlb_flush_mmu_tlbonly() flushes only when the gather cleared an entry or freed a table; before, it flushed unless tlb->end == 0, so a fullmm gather (end = ~0) always flushed",
                V(5, 6), null, "0758cd830494 (v5.6)", null),
            new(ReleaseRule.X86MprotectFlushesUpgrades, "x86-mprotect-flushes-upgrades",
                "x86 mprotect flushes the range when any PTE changed, permission upgrades included (if (pages) flush_tlb_range); later x86 skips the flush for pure upgrades (pte_needs_flush)",
                oldest, V(5, 19), "(before 3.10)", "c9fe66560bf2 (v5.19)"),
            new(ReleaseRule.ArchFlushInvalidatesSecondaries, "arch-flush-invalidates-secondaries",
                "the arch TLB flush calls mmu_notifier_arch_invalidate_secondary_tlbs() over the flushed range, (0, ~0) for a full flush; x86's deferred flush calls it with (0, ~0) when the flush is queued (arch_tlbbatch_add_pending), arm64's with the page",
                V(6, 6), null, "1af5a8109904, 6bbd42e2df8f (v6.6)", null),
            new(ReleaseRule.ChangePte, "change-pte",
                "set_pte_at_notify()'s ->change_pte notifier (the 'change_pte' op)",
                oldest, V(6, 10), "(before 3.10)", "997308f9ae72 (v6.10)"),

            // §7 the page-table tree
            new(ReleaseRule.Arm64PteFreeTlbDefers, "arm64-pte-free-tlb-defers",
                "arm64 __pte_free_tlb() no longer issues TLBI VAE1IS at the table's address: the gather's flush drops walk entries when freed_tables is set (last_level = !freed_tables), and a fullmm gather flushes everything only when it freed tables; before, the gather's flush was leaf-only and a fullmm gather flushed nothing",
                V(4, 20), null, "f270ab88fdf2 (v4.20)", null),
            new(ReleaseRule.RemoveTableOneFlushes, "remove-table-one-flushes",
                "tlb_remove_table_one() (a table freed without the batch, 'pte_free_tlb P nobatch') first flushes the gather (tlb_flush_mmu_tlbonly via tlb_table_invalidate), then IPIs and frees; before, it only IPIed and freed (x86 from 4.19, arm64 from 4.20 when it selected the RCU table free)",
                V(4, 19), null, "d86564a2f085 (v4.19)", null),
            new(ReleaseRule.X86PmdFreePtePageFlushes, "x86-pmd-free-pte-page-flushes",
                "x86 pmd_free_pte_page() calls flush_tlb_kernel_range() over the PMD's range between pmd_clear() and free_page(); before, the table was freed with the walk caches still pointing at it (28ee90fe6048)",
                V(4, 19), null, "5e0fb5df2ee8 (v4.19)", null),
            new(ReleaseRule.SvaInvalidatesKernelRange, "sva-invalidates-kernel-range",
                "iommu_sva_invalidate_kva_range() exists and x86 pmd_free_pte_page() calls it after the kernel flush, so SVA IOMMUs drop their paging-structure caches of the kernel half",
                V(6, 19), null, "e37d5a2d60a3 (v6.19)", null),
            new(ReleaseRule.TlbFlushPmdRangeExists, "tlb-flush-pmd-range",
                "tlb_flush_pmd_range() records a PMD-level change in the gather (the 'tlb_flush_pmd_range' op)",
                V(5, 16), null, "a4a118f2eead (v5.16)", null),
            // §8 dirty data (issue 13)
            new(ReleaseRule.ZapForceFlushDirty, "zap-force-flush-dirty",
                "zap_pte_range() clearing a dirty PTE of a shared file page sets force_flush: the TLB is flushed (tlb_flush_mmu_tlbonly) before the PTL is dropped, so no CPU keeps writing through a dirty entry after set_page_dirty()",
                V(3, 15), null, "1cf35d47712d (v3.15)", null),
            new(ReleaseRule.TlbFlushMmuTlbonly, "tlb-flush-mmu-tlbonly",
                "tlb_flush_mmu_tlbonly(): the gather's TLB flush without freeing its pages (the 'tlb_flush_mmu_tlbonly' op)",
                V(3, 15), null, "1cf35d47712d (v3.15)", null),
            new(ReleaseRule.DelayedRmap, "delayed-rmap",
                "zap_pte_range() delays page_remove_rmap() of a dirty file page until tlb_flush_rmaps(), after the TLB flush, so folio_mkclean() still finds the mapping (the 'tlb_flush_rmaps' op)",
                V(6, 2), null, "5df397dec7c4 (v6.2)", null),
            new(ReleaseRule.TlbFlushPendingBool, "tlb-flush-pending-bool",
                "mm->tlb_flush_pending is a boolean: set_tlb_flush_pending() / clear_tlb_flush_pending() (the two ops); a second user clears it under the first",
                V(3, 13), V(4, 13), "20841405940e (v3.13)", "16af97dc5a89 (v4.13)"),
            new(ReleaseRule.LazyfreeRefcountCheck, "lazyfree-refcount-check",
                "try_to_unmap_one() discards a clean lazy-free page only when its refcount is 1 + mapcount (+1 for the caller's reference): a GUP pin keeps it",
                V(5, 18), null, "6c8e2a256915 (v5.18)", null),
            // issue 12: THP split (pmdp_invalidate)
            new(ReleaseRule.SplitDirtyFromInvalidate, "split-dirty-from-invalidate",
                "__split_huge_pmd_locked() takes the huge PMD's dirty bit from the old value pmdp_invalidate() returns (an atomic exchange, pmdp_establish) and sets PG_dirty from it; before, it read pmd_dirty(*pmd) at its start and invalidated the still-present PMD only at its end (pmdp_invalidate was a plain read and set_pmd_at), so a dirty bit the hardware set in between was lost (split_huge_pmd takes two steps on a huge page whose D is tracked)",
                V(4, 16), null, "d52605d7cb30 (v4.16)", null),
            new(ReleaseRule.SplitPtesDirty, "split-ptes-dirty",
                "__split_huge_pmd_locked() also sets D in the new PTEs when the huge PMD was dirty (pte_mkdirty, then pte_wrprotect for a read-only PMD); before, only PG_dirty carried it (the PTEs came out clean: 624a2c94f5b7 had taken the 6.1 mkdirty back out for sparc64)",
                V(6, 2), null, "e833bc503405 (v6.2)", null),
        };
        var table = new ReleaseRuleInfo[rows.Length];
        foreach (var row in rows)
        {
            if (table[(int)row.Rule] is not null) throw new InvalidOperationException($"duplicate release rule {row.Rule}");
            table[(int)row.Rule] = row;
        }
        for (int i = 0; i < table.Length; i++)
            if (table[i] is null) throw new InvalidOperationException($"missing release rule {(ReleaseRule)i}");
        return table;
    }
}
