using Checker.Invariants;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>A minimal schedule that violates <see cref="Violation"/>'s invariant, with where it came from.</summary>
public sealed record Counterexample(Schedule Schedule, Violation Violation, string Origin)
{
    /// <summary>The violated invariant.</summary>
    public InvariantId Id => Violation.Id;

    /// <summary>The violating schedule this one was shrunk from, as the explorer ranked it: environment actions,
    /// steps, and schedule index (-1 for exhaustive search). <c>merge</c> ranks the shards' counterexamples by
    /// it, as one unsharded run would have ranked their candidates.</summary>
    public CandidateRank Rank { get; init; }
}

/// <summary>How a violating schedule ranks before shrinking: fewer environment actions, then fewer steps, then
/// the earlier schedule (exhaustive search's, index -1, before any sampled one).</summary>
public readonly record struct CandidateRank(int EnvironmentActions, int Steps, long Index) : IComparable<CandidateRank>
{
    /// <inheritdoc/>
    public int CompareTo(CandidateRank other) =>
        EnvironmentActions != other.EnvironmentActions ? EnvironmentActions.CompareTo(other.EnvironmentActions)
        : Steps != other.Steps ? Steps.CompareTo(other.Steps)
        : Index.CompareTo(other.Index);
}
