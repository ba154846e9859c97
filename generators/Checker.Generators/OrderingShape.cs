namespace Checker.Generators;

/// <summary>
/// What a law needs of a generated ordering: at least so many user CPUs and SVA devices, or no secondary at
/// all; at most so many kernel threads; and ops to generate more often (by name, e.g. <c>flush_tlb_mm</c>).
/// The shrinker keeps the counts.
/// </summary>
public sealed record OrderingShape(int MinCpus = 0, int MinDevices = 0, bool NoSecondaries = false, int MaxThreads = 3)
{
    public static readonly OrderingShape Any = new();

    /// <summary>Never generate <c>reuse off</c>: the allocator may always reuse freed frames.</summary>
    public bool AlwaysReuse { get; init; }

    /// <summary>Op names generated about eight times as often as the others.</summary>
    public IReadOnlyList<string> Emphasis { get; init; } = [];
}
