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

    PteNone,
    PtePresent,
    PteReadonly,
    PteWritable,
}
