namespace Checker.Model;

/// <summary>One translation cache entry — a CPU TLB, a device IOTLB or a shadow sPTE cell — for one page:
/// whether it holds an entry, the frame and permission it caches, and whether that entry is <see cref="Stale"/>:
/// more permissive than the PTE (DESIGN §3.5), as the invariants judge it.</summary>
public readonly record struct CacheCell(bool Valid, int Frame, bool Writable, bool Stale)
{
    /// <summary>An empty entry.</summary>
    public static CacheCell None => new(false, -1, false, false);

    /// <summary>§8: the entry cached D = 1 at fill (shown only for a page-cache or lazy-free frame).</summary>
    public bool Dirty { get; init; }
}
