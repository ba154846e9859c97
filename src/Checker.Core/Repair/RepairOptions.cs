using Checker.Exploration;

namespace Checker.Repair;

/// <summary>How hard <see cref="Repairer"/> works.</summary>
internal sealed record RepairOptions
{
    /// <summary>The bound of the complete exhaustive search every candidate repair must pass.</summary>
    public int Bound { get; init; } = ExplorationOptions.DefaultBound;

    /// <summary>Also run the default strategy (exhaustive, then pct) on the repair the search accepted.</summary>
    public bool DefaultStrategy { get; init; } = true;

    /// <summary>The default strategy's options (its seed and schedules); its bound is <see cref="Bound"/>.</summary>
    public ExplorationOptions Exploration { get; init; } = new();

    /// <summary>List every repair of minimal cost, not only the first.</summary>
    public bool All { get; init; }

    /// <summary>Also look for secondary invalidations no schedule needs.</summary>
    public bool Optimize { get; init; }

    /// <summary>Most edits in one repair.</summary>
    public int MaxEdits { get; init; } = 3;

    /// <summary>Most rounds of the counterexample-guided loop.</summary>
    public int MaxRounds { get; init; } = 24;

    /// <summary>Most candidate repairs verified in all (each costs one exhaustive search).</summary>
    public int MaxVerifications { get; init; } = 400;

    /// <summary>Give up (status <see cref="RepairStatus.NotEstablished"/>) after this long; null: no limit.</summary>
    public TimeSpan? TimeLimit { get; init; }
}
