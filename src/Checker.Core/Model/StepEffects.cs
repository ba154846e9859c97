namespace Checker.Model;

/// <summary>What a step did, as far as a reader of the diagram cares: it colours the op.</summary>
[Flags]
public enum StepEffects : byte
{
    None = 0,

    /// <summary>A PTE was cleared, downgraded, upgraded, filled or repointed.</summary>
    PteChange = 1,

    /// <summary>A CPU TLB flush op ran (<c>flush_tlb_*</c>, <c>ptep_clear_flush</c>, the gather's flush, …).</summary>
    CpuFlush = 2,

    /// <summary>The secondary TLB hook reached a subscriber (<c>invalidate_range</c> /
    /// <c>arch_invalidate_secondary_tlbs</c>, directly or from an end or a 6.6 flush).</summary>
    SecondaryInvalidation = 4,

    /// <summary><c>invalidate_range_start</c>, <c>invalidate_range_end</c> or <c>only_end</c>.</summary>
    Notifier = 8,

    /// <summary>A lock op.</summary>
    Lock = 16,

    /// <summary>An environment action (access, prefetch, shadow fault, reuse).</summary>
    Environment = 32,
}
