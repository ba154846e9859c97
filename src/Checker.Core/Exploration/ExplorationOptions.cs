namespace Checker.Exploration;

/// <summary>What a <c>check</c> run explores and how much (DESIGN §4, §6).</summary>
public sealed record ExplorationOptions
{
    public const int DefaultBound = 4;
    public const int DefaultSchedules = 200_000;
    public const int DefaultPctDepth = 3;

    /// <summary>A deterministic stand-in for auto's "10 s of exhaustive search": about that many states on
    /// the reference machine (BENCHMARKS.md), so that a seed gives the same result everywhere.</summary>
    public const long DefaultStateLimit = 10_000_000;

    public StrategyKind Strategy { get; init; } = StrategyKind.Auto;

    /// <summary>Schedules for random and pct (auto: after the exhaustive phase).</summary>
    public long Schedules { get; init; } = DefaultSchedules;

    /// <summary>At most this many environment actions per schedule (exhaustive: in total along a path).</summary>
    public int Bound { get; init; } = DefaultBound;

    public ulong Seed { get; init; } = 1;

    public int Jobs { get; init; } = 1;

    /// <summary>This machine's shard (0-based) of <see cref="Shards"/>.</summary>
    public int Shard { get; init; }

    public int Shards { get; init; } = 1;

    /// <summary>The random or pct schedules this shard runs: the global indices ≡ <see cref="Shard"/> mod
    /// <see cref="Shards"/> below <see cref="Schedules"/>.</summary>
    public long ScheduleShare => Schedules > Shard ? (Schedules - Shard + Shards - 1) / Shards : 0;

    /// <summary>PCT's bug depth d (d - 1 priority change points).</summary>
    public int PctDepth { get; init; } = DefaultPctDepth;

    /// <summary>Exhaustive search stops (incomplete) after this many distinct states.</summary>
    public long StateLimit { get; init; } = DefaultStateLimit;

    /// <summary>Schedule executions the shrinker may spend per counterexample.</summary>
    public int ShrinkBudget { get; init; } = 20_000;
}
