namespace Checker.Reports;

/// <summary>One lane of a swim-lane diagram: an actor, or a cache (CPU TLB, IOTLB, sPTEs) or the allocator.
/// <see cref="Unit"/> is the CPU, device or shadow number (-1 for threads and the allocator);
/// <see cref="Title"/> says in a few words what the lane shows.</summary>
public sealed record SwimLane(string Name, LaneKind Kind, int Unit, string Title);
