namespace Checker.Model;

/// <summary>One translation cache: CPU <c>Unit</c>'s TLB, device <c>Unit</c>'s IOTLB or shadow <c>Unit</c>'s sPTEs.</summary>
public readonly record struct CacheUnit(CacheKind Kind, int Unit)
{
    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        CacheKind.Tlb => "cpu" + Unit,
        CacheKind.Iotlb => "dev" + Unit,
        _ => "shadow" + Unit,
    };
}
