using Checker.Invariants;
using Checker.Model;
using Checker.Vocabulary;

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
    /// <summary>This run's shard of <see cref="Shards"/> (<c>--shard I/N</c>); 0 of 1 for a whole run.</summary>
    public int Shard { get; init; }

    public int Shards { get; init; } = 1;

    public string Name => Program.Name;

    public string ExpectText => Program.Source.ExpectText;

    public long Explored => Schedules + States;
}
