namespace Checker.Exploration;

/// <summary>What a <c>check</c> run explores and how much (DESIGN §4, §6).</summary>
public sealed record ExplorationOptions
{
    /// <summary>The default preemption bound of exhaustive search.</summary>
    public const int DefaultBound = 4;
    /// <summary>The default schedule budget of the random and pct strategies.</summary>
    public const int DefaultSchedules = 200_000;
    /// <summary>The default bug depth d of pct.</summary>
    public const int DefaultPctDepth = 3;

    /// <summary>A deterministic stand-in for auto's "10 s of exhaustive search": about that many states on
    /// the reference machine (BENCHMARKS.md), so that a seed gives the same result everywhere.</summary>
    public const long DefaultStateLimit = 10_000_000;

    /// <summary>How schedules are chosen (default <see cref="StrategyKind.Auto"/>).</summary>
    public StrategyKind Strategy { get; init; } = StrategyKind.Auto;

    /// <summary>Schedules for random and pct (auto: after the exhaustive phase).</summary>
    public long Schedules { get; init; } = DefaultSchedules;

    /// <summary>At most this many environment actions per schedule (exhaustive: in total along a path).</summary>
    public int Bound { get; init; } = DefaultBound;

    /// <summary>The seed of the run's PRNG; the same seed and options give the same result.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Worker threads (default 1; the CLI's default is one per core): several orderings share them out, a single
    /// ordering's exhaustive search (<see cref="ExhaustiveAnswer"/>) and sampling use them all; the result does not depend
    /// on their number.</summary>
    public int Jobs { get; init; } = 1;

    /// <summary>This machine's shard (0-based) of <see cref="Shards"/>.</summary>
    public int Shard { get; init; }

    /// <summary>Into how many shards the schedule space is split (the CLI's <c>--shard i/n</c>); 1 = no sharding.</summary>
    public int Shards { get; init; } = 1;

    /// <summary>The random or pct schedules this shard runs: the global indices ≡ <see cref="Shard"/> mod
    /// <see cref="Shards"/> below <see cref="Schedules"/>.</summary>
    public long ScheduleShare => Schedules > Shard ? (Schedules - Shard + Shards - 1) / Shards : 0;

    /// <summary>PCT's bug depth d (d - 1 priority change points).</summary>
    public int PctDepth { get; init; } = DefaultPctDepth;

    /// <summary>Exhaustive search counts states that differ only by a permutation of interchangeable pages, CPUs,
    /// devices or shadows as one (issue 14; the CLI's <c>--no-symmetry</c> turns it off).</summary>
    public bool Symmetry { get; init; } = true;

    /// <summary>Exhaustive search stops (incomplete) after this many distinct states.</summary>
    public long StateLimit { get; init; } = DefaultStateLimit;

    /// <summary>Schedule executions the shrinker may spend per counterexample.</summary>
    public int ShrinkBudget { get; init; } = 20_000;
}
