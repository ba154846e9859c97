using Checker.Invariants;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>What exploring one ordering gave: which invariants were found violated (each with its minimal
/// counterexample), the <see cref="Exploration.Verdict"/> against the file's <c>expect</c>, and how much was explored.</summary>
public sealed record OrderingResult(
    CompiledOrdering Program,
    string File,
    StrategyKind Strategy,
    Verdict Verdict,
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

    /// <summary>The number of shards the search was split into (1 = not sharded).</summary>
    public int Shards { get; init; } = 1;

    /// <summary>The classes exhaustive search treated as interchangeable (issue 14), e.g. "cpus 0-1"; empty when
    /// it reduced nothing.</summary>
    public IReadOnlyList<string> SymmetryClasses { get; init; } = [];

    /// <summary>Why symmetry reduction did not apply (null when it did, or found nothing to reduce).</summary>
    public string? SymmetryOff { get; init; }

    /// <summary>An upper bound on the chance that the visited set's 56-bit fingerprints made a complete search
    /// skip a state it had not seen (hash-compact omission bound, see <see cref="VisitedSet"/>): n(n-1)/2^57 for
    /// n states; 0 when no exhaustive search ran.</summary>
    public double OmissionBound => ExhaustiveRan ? VisitedSet.OmissionBound(States) : 0;

    /// <summary>The verdict stands by the expectation (<see cref="Verdict.Established"/>: met, or one shard's partial).</summary>
    public bool Met => Verdict.Established;

    /// <summary>The exploration ran to its end: not cancelled, and a complete search or some schedules sampled —
    /// what "no violation" needs to mean anything.</summary>
    public bool Finished => !Cancelled && ((ExhaustiveRan && Complete) || Schedules > 0);

    /// <summary>The ordering's name (its <c>ordering</c> line).</summary>
    public string Name => Program.Name;

    /// <summary>The file's <c>expect</c> line as written, or <c>pass</c> when it has none.</summary>
    public string ExpectText => Program.Source.ExpectText;

    /// <summary>Schedules run (random, pct) or distinct states visited (exhaustive).</summary>
    public long Explored => Schedules + States;
}
