namespace Checker.Model;

/// <summary>Cost counters of a run (DESIGN §3.5): not violations, but what a patch costs.</summary>
public record struct Costs
{
    /// <summary>Calls of the secondary TLB hook (<c>invalidate_range</c> / <c>arch_invalidate_secondary_tlbs</c>) that reached a subscriber.</summary>
    public long SecondaryInvalidations;

    /// <summary>IOTLB entries those calls dropped.</summary>
    public long PagesDropped;

    /// <summary>CPU flushes of the whole mm (<c>flush_tlb_mm</c>, fullmm gathers).</summary>
    public long FullFlushes;

    /// <summary>Calls with nothing stale in range and no PTE change since the previous call.</summary>
    public long RedundantInvalidations;

    /// <inheritdoc/>
    public override readonly string ToString() =>
        $"invalidations {SecondaryInvalidations}, pages dropped {PagesDropped}, full flushes {FullFlushes}, redundant {RedundantInvalidations}";
}
