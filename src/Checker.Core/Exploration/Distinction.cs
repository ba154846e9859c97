using Checker.Invariants;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>
/// A schedule that tells two orderings of one path apart: <see cref="Counterexample"/> violates
/// <see cref="Invariant"/> on one of them (A when <see cref="OnA"/>), and <see cref="Other"/> — the same
/// choices mapped onto the other ordering by actor name, then run until every thread has returned — does not
/// (<see cref="OtherRun"/> says what it did instead: nothing, or another invariant).
/// </summary>
public sealed record Distinction(InvariantId Invariant, bool OnA, Counterexample Counterexample, Schedule Other, RunResult OtherRun)
{
    /// <summary>True when the schedule violates nothing at all on the other ordering.</summary>
    public bool Clean => OtherRun.Violation is null;
}
