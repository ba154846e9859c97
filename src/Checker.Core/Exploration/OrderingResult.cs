using Checker.Invariants;
using Checker.Model;

namespace Checker.Exploration;

/// <summary>The verdict on one ordering: which invariants were found violated (each with its minimal
/// counterexample), whether that meets the file's <c>expect</c>, and how much was explored.</summary>
public sealed record OrderingResult(
    CompiledOrdering Program,
    string File,
    StrategyKind Strategy,
    bool Met,
    IReadOnlyList<InvariantId> Found,
    IReadOnlyDictionary<InvariantId, Counterexample> Counterexamples,
    long Schedules,
    long States,
    bool ExhaustiveRan,
    bool Complete,
    int Bound,
    int PctDepth,
    Costs Costs,
    TimeSpan Elapsed,
    TimeSpan? FirstViolationAfter,
    bool Cancelled)
{
    public string Name => Program.Name;

    public string ExpectText => Program.Source.ExpectText;

    public long Explored => Schedules + States;
}
