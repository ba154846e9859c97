using Checker.Language;

namespace Checker.Model;

/// <summary>
/// An actor of a compiled ordering. Threads come first in file order, then (generated mode only) the CPUs,
/// devices, shadows and the allocator. <see cref="Unit"/> is the CPU, device or shadow the actor drives
/// (for explicit threads too); <see cref="Thread"/> the thread index, or -1.
/// </summary>
public sealed record Actor(string Name, ActorKind Kind, ThreadKind UnitKind, int Unit, int Thread)
{
    /// <summary>True for a thread of the ordering (not a generated CPU, device, shadow or allocator).</summary>
    public bool IsKernelThread => Kind == ActorKind.Thread && UnitKind == ThreadKind.Kernel;

    /// <summary>True for an actor the checker generates: a CPU, device, shadow or the allocator.</summary>
    public bool IsGenerated => Kind != ActorKind.Thread;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
