using Checker.Text;
using Checker.Vocabulary;

namespace Checker.Model;

/// <summary>
/// A violated invariant — a result, not an exception: which invariant, at which step (0-based), who and
/// what was involved, the invariants violated at the same step (co-violations, not counted for
/// <c>expect</c>), a readable state snapshot after the step and a one-line description.
/// </summary>
public sealed record Violation(
    InvariantId Id,
    int Step,
    string Actor,
    int Page,
    EquatableArray<InvariantId> CoViolations,
    StateSnapshot Snapshot,
    string Description)
{
    /// <summary>The invariant's name, as the language writes it.</summary>
    public string Name => Invariant.NameOf(Id);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} at step {Step + 1}: {Description}";
}
