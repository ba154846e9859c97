namespace Checker.Language;

/// <summary>What an <c>if COND OP</c> tests.</summary>
public enum ConditionKind : byte
{
    /// <summary><c>mm_tlb_flush_pending()</c>: tlb_flush_pending &gt; 0.</summary>
    TlbFlushPending,

    /// <summary><c>mm_tlb_flush_nested()</c>: tlb_flush_pending &gt; 1.</summary>
    TlbFlushNested,

    /// <summary>mm-&gt;tlb_flush_batched.</summary>
    TlbFlushBatched,

    /// <summary><c>pte_none</c>: the page's PTE is clear.</summary>
    PteNone,
    /// <summary><c>pte_present</c>: the page's PTE is present.</summary>
    PtePresent,
    /// <summary><c>pte_readonly</c>: the page's PTE is present and read-only.</summary>
    PteReadonly,
    /// <summary><c>pte_writable</c>: the page's PTE is present and writable.</summary>
    PteWritable,

    // §8 dirty data (issue 13)
    /// <summary><c>pte_dirty</c>: the page's PTE is present and dirty.</summary>
    PteDirty,
    /// <summary><c>pte_protnone</c>: the page's PTE is a NUMA-hinting PROT_NONE PTE.</summary>
    PteProtnone,
    /// <summary><c>pte_accessible</c>: present and not PROT_NONE, or PROT_NONE while a TLB flush is pending.</summary>
    PteAccessible,
    /// <summary><c>force_flush</c>: this thread's zap_pte_range force_flush.</summary>
    ForceFlush,
    /// <summary><c>unflushed</c>: this thread changed a PTE it has not CPU-flushed since.</summary>
    Unflushed,
}
