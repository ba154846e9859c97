using Checker.Invariants;

namespace Checker.Exploration;

/// <summary>A minimal schedule that violates <see cref="Violation"/>'s invariant, with where it came from.</summary>
public sealed record Counterexample(Schedule Schedule, Violation Violation, string Origin)
{
    public InvariantId Id => Violation.Id;
}
