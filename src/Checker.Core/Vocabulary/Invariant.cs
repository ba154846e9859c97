using System.Collections.Frozen;

namespace Checker.Vocabulary;

/// <summary>
/// What each invariant means and which kernel rule it encodes (DESIGN §3.5). The checks themselves live in
/// the other files of this folder, one per invariant, and are called by the machine.
/// </summary>
public sealed record Invariant(InvariantId Id, string Name, string Kind, string Meaning, string KernelRule)
{
    private static readonly Invariant[] Table =
    [
        new(InvariantId.StaleSecondaryAfterFlush, "stale-secondary-after-flush", "protocol",
            "at a commit point of kernel thread T, a shared-table secondary still holds a stale entry for a page T changed and has since flushed from the CPU TLBs",
            "secondary TLBs are flushed at the same moments as the CPU TLB (Gunthorpe, linux-mm 2022-09-30); 6.6 makes it structural: arch_invalidate_secondary_tlbs() is called from the arch flush (1af5a8109904, 6bbd42e2df8f)"),
        new(InvariantId.InvalidNotifierRange, "invalid-notifier-range", "protocol",
            "a notifier or secondary invalidation call with start >= end, or end beyond the user address space, other than (0, ~0)",
            "ranges are [start, end) within TASK_SIZE (include/linux/mmu_notifier.h); the nested tlb_finish_mmu sent (~0, ~0) from 7a30df49f63a until 6.6 (Horn, linux-mm 2022-09-23)"),
        new(InvariantId.UnbalancedNotifier, "unbalanced-notifier", "protocol",
            "invalidate_range_end without a matching start (same range, LIFO per thread), or a thread ending inside a start/end",
            "every mmu_notifier_invalidate_range_start() is paired with an end (mm/mmu_notifier.c, active_invalidate_ranges; the lockdep map __mmu_notifier_invalidate_range_start_map)"),
        new(InvariantId.PteChangeOutsideNotifier, "pte-change-outside-notifier", "protocol",
            "with a shadow secondary attached, a present PTE is cleared, downgraded or repointed, or change_pte is called, outside a start/end that covers it",
            "shadow MMUs copy the PTE and rely on invalidate_range_start() before the change (Documentation/mm/mmu_notifier.rst; KVM asserts it in kvm_mmu_notifier_change_pte, c13fda237f08)"),
        new(InvariantId.UseAfterFree, "use-after-free", "consequence",
            "a CPU, device or shadow access reaches a frame that is free or owned by another",
            "a page may be freed only after every TLB that can reach it has been flushed (mm/mmu_gather.c tlb_flush_mmu: flush, then free; CVE-2018-18281)"),
        // §7 the page-table tree
        new(InvariantId.WalkAfterFree, "walk-after-free", "consequence",
            "a CPU or device walk, or a GUP-fast step, reads a page-table page that is free or reused, through a cached walk entry or a pointer it read earlier",
            "a page-table page may be freed only after every paging-structure cache that can reach it was invalidated and every lockless walker left (mm/mmu_gather.c tlb_remove_table, tlb_remove_table_sync_one; Intel SDM 4.10.3; e37d5a2d60a3 for SVA and the kernel half)"),
        new(InvariantId.AccessAfterReturn, "access-after-return", "consequence",
            "after a kernel thread whose PTE-changing ops cover page P has returned, some actor accesses P through a stale translation",
            "munmap/mprotect/madvise/mremap/fork must not return while a TLB can still use the old translation (flush before return; eb66ae030829)"),
        new(InvariantId.LostWrite, "lost-write", "consequence",
            "a write reaches a frame through a stale translation after a kernel thread copied that frame",
            "COW, KSM and migration copy a page only once no writable translation remains (wp_page_copy; Documentation/mm/mmu_notifier.rst case B)"),
        // §8 dirty data (issue 13)
        new(InvariantId.LostDirty, "lost-dirty", "consequence",
            "(a) a page-cache frame holds data not on disk while neither PG_dirty nor any present PTE's dirty bit says so (pinned frames excepted); (b) reclaim discards a lazy-free frame written since MADV_FREE returned, or a write reaches a discarded frame",
            "writeback and reclaim trust PG_dirty and the PTE dirty bits: a TLB entry that caches D = 1 writes without setting it again (SDM 4.8), so a dirty PTE must be flushed before its dirt is transferred and its rmap removed (1cf35d47712d, 5df397dec7c4); MADV_FREE pages are discarded only when clean and unreferenced (6c8e2a256915)"),
        new(InvariantId.SecondaryFaultLoop, "secondary-fault-loop", "liveness",
            "a device write-faults three times in a row on a page whose PTE is present and writable",
            "an SMMU without BTM keeps a read-only entry on a permission fault, so an upgrade must invalidate it (arm64 ptep_set_access_flags flushes; 6.6 routes that flush to arch_invalidate_secondary_tlbs)"),
    ];

    private static readonly FrozenDictionary<string, Invariant> ByName = BuildByName();

    /// <summary>Every invariant, in <see cref="InvariantId"/> order.</summary>
    public static IReadOnlyList<Invariant> All => Table;

    /// <summary>How many invariants there are: the size of every per-invariant array (one row of the table each).</summary>
    public static int Count => Table.Length;

    /// <summary>The row of an invariant.</summary>
    public static Invariant Of(InvariantId id) => Table[(int)id];

    /// <summary>The invariant's name in the language.</summary>
    public static string NameOf(InvariantId id) => Table[(int)id].Name;

    /// <summary>Reads an invariant name.</summary>
    public static bool TryParse(string name, out InvariantId id)
    {
        if (ByName.TryGetValue(name, out var invariant))
        {
            id = invariant.Id;
            return true;
        }
        id = default;
        return false;
    }

    /// <summary>Every invariant name, in <see cref="InvariantId"/> order.</summary>
    public static IEnumerable<string> Names
    {
        get
        {
            foreach (var invariant in Table) yield return invariant.Name;
        }
    }

    private static FrozenDictionary<string, Invariant> BuildByName()
    {
        var map = new Dictionary<string, Invariant>(StringComparer.Ordinal);
        foreach (var invariant in Table) map.Add(invariant.Name, invariant);
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
