using System.Text.RegularExpressions;

namespace Checker.Extract;

/// <summary>What a vocabulary row says about a call's arguments in the draft.</summary>
public enum ArgHint
{
    /// <summary>The op takes no argument.</summary>
    None,
    /// <summary>A range, left as '?', with the hint taken from arguments <c>From</c>..<c>To</c> (negative: from the end).</summary>
    Range,
    /// <summary>A range, left as '?', with the hint of the <c>mmu_notifier_range_init</c> of the range variable
    /// passed as the first argument.</summary>
    NotifierRange,
    /// <summary>A page, left as '?', with the hint from argument <c>From</c>.</summary>
    Page,
    /// <summary>A lock name, fixed by the row (<c>lock i_mmap</c>, <c>lock page0</c>).</summary>
    Lock,
    /// <summary>A range and a protection ('? ro').</summary>
    Protection,
    /// <summary>Not an op: records the range of a notifier range variable for the start/end that follow.</summary>
    RangeInit,
}

/// <summary>
/// One row of the call → op table: a kernel function or macro, the op(s) of the ordering language it stands for,
/// how the draft writes its arguments, an optional condition on one argument (<c>spin_lock</c> is <c>ptl_lock</c>
/// only for a <c>…ptl</c> lock), and what the source says about it. <see cref="LoopExitOp"/>: an op the call
/// performs when, as a loop condition, it ends the loop (page_vma_mapped_walk drops the PTL when it returns false).
/// </summary>
public sealed record VocabularyRow(string Call, string[] Ops, ArgHint Hint, int From = 0, int To = 0, string? Lock = null,
    int WhenArg = -1, string? WhenPattern = null, string? NotAnOpPattern = null, string? LoopExitOp = null, string Note = "")
{
    private readonly Regex? when = WhenPattern is null ? null : new Regex(WhenPattern, RegexOptions.CultureInvariant);
    private readonly Regex? notAnOp = NotAnOpPattern is null ? null : new Regex(NotAnOpPattern, RegexOptions.CultureInvariant);

    public bool Applies(string[] args) =>
        when is null || WhenArg < args.Length && when.IsMatch(args[WhenArg < 0 ? args.Length + WhenArg : WhenArg]);

    /// <summary>Why this call is written as a comment rather than an op (a swap entry is not a present PTE), or null.</summary>
    public string? NotAnOp(string[] args) =>
        notAnOp is not null && args.Length > 0 && notAnOp.IsMatch(args[^1]) ? "installs a swap entry, not a present page: no op" : null;
}

/// <summary>
/// THE call → op table of <c>checker extract</c> (one table: every name the extractor turns into an op is here;
/// OpVocabularyTests checks each op against the checker's op table). Names are the kernel's own, as the source
/// calls them (macros included), from 4.14 to 6.12: the table matches a call before its definition is looked at,
/// so a row stops the extractor following into that callee.
/// </summary>
public static class OpVocabulary
{
    private static VocabularyRow R(string call, string op, ArgHint hint = ArgHint.None, int from = 0, int to = 0, string note = "") =>
        new(call, [op], hint, from, to, Note: note);

    private static VocabularyRow L(string call, string op, string lockName, string note = "") =>
        new(call, [op], ArgHint.Lock, Lock: lockName, Note: note);

    public static readonly VocabularyRow[] Rows =
    [
        // the mmap lock (include/linux/mmap_lock.h)
        R("mmap_write_lock", "mmap_write_lock"),
        R("mmap_write_lock_killable", "mmap_write_lock", note: "returns non-zero (not locked) on a fatal signal"),
        R("mmap_write_lock_nested", "mmap_write_lock"),
        R("mmap_write_unlock", "mmap_write_unlock"),
        R("mmap_read_lock", "mmap_read_lock"),
        R("mmap_read_lock_killable", "mmap_read_lock"),
        R("mmap_read_trylock", "mmap_read_lock"),
        R("mmap_read_unlock", "mmap_read_unlock"),
        R("lock_mm_and_find_vma", "mmap_read_lock", note: "mm/memory.c: returns with the mmap lock held for read"),
        // the page-table lock
        R("pte_offset_map_lock", "ptl_lock"),
        R("pte_alloc_map_lock", "ptl_lock"),
        R("pte_unmap_unlock", "ptl_unlock"),
        new("spin_lock", ["ptl_lock"], ArgHint.None, WhenArg: 0, WhenPattern: "(^|->|\\.)ptl$", Note: "a PTL taken by hand (handle_pte_fault: vmf->ptl)"),
        new("spin_unlock", ["ptl_unlock"], ArgHint.None, WhenArg: 0, WhenPattern: "ptl$"),
        new("spin_lock_nested", ["ptl_lock"], ArgHint.None, WhenArg: 0, WhenPattern: "ptl$", Note: "the second PTL of a two-table walk (copy_pte_range's source)"),
        new("page_vma_mapped_walk", ["ptl_lock"], ArgHint.None, LoopExitOp: "ptl_unlock",
            Note: "mm/page_vma_mapped.c: returns true with the PTL held; false after dropping it"),
        R("page_vma_mapped_walk_done", "ptl_unlock"),
        // other locks: the i_mmap rwsem, the page (folio) lock
        L("i_mmap_lock_write", "lock", "i_mmap"),
        L("i_mmap_lock_read", "lock", "i_mmap"),
        L("i_mmap_unlock_write", "unlock", "i_mmap"),
        L("i_mmap_unlock_read", "unlock", "i_mmap"),
        L("folio_lock", "lock", "page0"),
        L("folio_trylock", "lock", "page0"),
        L("lock_page", "lock", "page0"),
        L("trylock_page", "lock", "page0"),
        L("folio_unlock", "unlock", "page0"),
        L("unlock_page", "unlock", "page0"),
        // mmu notifiers (include/linux/mmu_notifier.h)
        new("mmu_notifier_range_init", [], ArgHint.RangeInit, -2, -1, Note: "the range of the start/end that follow"),
        new("mmu_notifier_range_init_owner", [], ArgHint.RangeInit, -3, -2),
        R("mmu_notifier_invalidate_range_start", "invalidate_range_start", ArgHint.NotifierRange),
        R("mmu_notifier_invalidate_range_start_nonblock", "invalidate_range_start", ArgHint.NotifierRange),
        R("mmu_notifier_invalidate_range_end", "invalidate_range_end", ArgHint.NotifierRange),
        R("mmu_notifier_invalidate_range_only_end", "invalidate_range_only_end", ArgHint.NotifierRange),
        R("mmu_notifier_invalidate_range", "invalidate_range", ArgHint.Range, 1, 2),
        R("mmu_notifier_arch_invalidate_secondary_tlbs", "arch_invalidate_secondary_tlbs", ArgHint.Range, 1, 2),
        R("mmu_notifier_change_pte", "change_pte", ArgHint.Page, 1),
        R("mmu_notifier_release", "release"),
        R("__mmu_notifier_release", "release"),
        new("set_pte_at_notify", ["change_pte", "pte_install"], ArgHint.Page, 1, 1, Note: "change_pte, then set_pte_at"),
        // PTE changes
        R("ptep_get_and_clear", "pte_clear", ArgHint.Page, 1),
        R("ptep_get_and_clear_full", "pte_clear", ArgHint.Page, 1),
        R("get_and_clear_full_ptes", "pte_clear", ArgHint.Page, 1),
        R("pte_clear", "pte_clear", ArgHint.Page, 1),
        R("ptep_set_wrprotect", "pte_wrprotect", ArgHint.Page, 1),
        R("wrprotect_ptes", "pte_wrprotect", ArgHint.Range, 1, -1),
        new("set_pte_at", ["pte_install"], ArgHint.Page, 1, 1, NotAnOpPattern: "swp|swap"),
        new("set_ptes", ["pte_install"], ArgHint.Range, 1, -1, NotAnOpPattern: "swp|swap"),
        R("ptep_clear_flush", "ptep_clear_flush", ArgHint.Page, 1),
        R("ptep_clear_flush_notify", "ptep_clear_flush_notify", ArgHint.Page, 1),
        R("ptep_set_access_flags", "ptep_set_access_flags", ArgHint.Page, 1),
        new("change_protection", ["change_protection"], ArgHint.Protection, 1, 2),
        // page contents and references
        R("copy_user_highpage", "copy_page", ArgHint.Page, 2),
        R("__wp_page_copy_user", "copy_page", ArgHint.Page, 1),
        R("cow_user_page", "copy_page", ArgHint.Page, 1),
        R("get_page", "get_page", ArgHint.Page, 0),
        R("folio_get", "get_page", ArgHint.Page, 0),
        R("put_page", "put_page", ArgHint.Page, 0),
        R("folio_put", "put_page", ArgHint.Page, 0),
        R("free_unref_page_list", "put_page", ArgHint.Page, 0, note: "reclaim frees the folios whose last reference it dropped"),
        R("free_unref_folios", "put_page", ArgHint.Page, 0, note: "reclaim frees the folios whose last reference it dropped"),
        // CPU TLB flushes and the deferred (batched) flush of reclaim
        R("flush_tlb_range", "flush_tlb_range", ArgHint.Range, 1, 2),
        R("flush_tlb_page", "flush_tlb_page", ArgHint.Page, 1),
        R("flush_tlb_mm", "flush_tlb_mm"),
        R("inc_tlb_flush_pending", "inc_tlb_flush_pending"),
        R("dec_tlb_flush_pending", "dec_tlb_flush_pending"),
        R("set_tlb_ubc_flush_pending", "set_tlb_ubc_flush_pending", ArgHint.Page, 2),
        R("try_to_unmap_flush", "try_to_unmap_flush"),
        R("flush_tlb_batched_pending", "flush_tlb_batched_pending"),
        // mmu_gather
        R("tlb_gather_mmu", "tlb_gather_mmu"),
        R("tlb_gather_mmu_fullmm", "tlb_gather_mmu_fullmm"),
        R("tlb_flush_mmu", "tlb_flush_mmu"),
        R("tlb_finish_mmu", "tlb_finish_mmu"),
        R("zap_pte_range", "zap_pte_range", ArgHint.Range, 3, 4),
    ];

    private static readonly Dictionary<string, VocabularyRow[]> ByCall = Rows.GroupBy(r => r.Call, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>The row for a call with these arguments, or null when the call is not an op of interest.</summary>
    public static VocabularyRow? Match(string call, string[] args)
    {
        if (!ByCall.TryGetValue(call, out var rows)) return null;
        foreach (var r in rows) if (r.Applies(args)) return r;
        return null;
    }

    /// <summary>Whether the name is in the table at all (conditions aside): a call to it is never followed.</summary>
    public static bool Knows(string call) => ByCall.ContainsKey(call);

    /// <summary>The notifier and secondary-invalidation API the audit lists the callers of.</summary>
    public static readonly string[] NotifierApi =
    [
        "mmu_notifier_invalidate_range_start", "mmu_notifier_invalidate_range_start_nonblock", "mmu_notifier_invalidate_range_end",
        "mmu_notifier_invalidate_range_only_end", "mmu_notifier_invalidate_range", "mmu_notifier_arch_invalidate_secondary_tlbs",
        "ptep_clear_flush_notify", "ptep_clear_young_notify", "ptep_clear_flush_young_notify", "pmdp_huge_clear_flush_notify",
        "pudp_huge_clear_flush_notify", "set_pte_at_notify", "mmu_notifier_change_pte",
    ];
}
