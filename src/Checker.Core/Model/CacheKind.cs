namespace Checker.Model;

/// <summary>The three kinds of translation cache in the model.</summary>
public enum CacheKind : byte
{
    /// <summary>A user CPU's TLB.</summary>
    Tlb,

    /// <summary>A shared-page-table device's IOTLB.</summary>
    Iotlb,

    /// <summary>A shadow secondary's sPTEs.</summary>
    Spte,
}
