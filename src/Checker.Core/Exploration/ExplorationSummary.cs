using System.Globalization;

namespace Checker.Exploration;

/// <summary>What a run explored, in the words every report prints: "complete: no violation within bound K, N
/// states", "incomplete: N states (bound K)", "exhaustive search: on shard 0/N", "+ N pct schedules", "(cancelled)".</summary>
public static class ExplorationSummary
{
    /// <summary>The hash-compact omission bound every "complete" carries (issue 14): ", P(missed) ≤ 3e-07".</summary>
    public static string Omission(OrderingResult r) =>
        $", P(missed) ≤ {r.OmissionBound.ToString("0e-00", CultureInfo.InvariantCulture)}";

    /// <summary>One line saying what the search of <paramref name="r"/> covered.</summary>
    public static string Of(OrderingResult r)
    {
        var parts = new List<string>();
        if (r.ExhaustiveRan)
        {
            string states = r.States.ToString("N0", CultureInfo.InvariantCulture);
            parts.Add(!r.Complete ? $"incomplete: {states} states (bound {r.Bound})"
                : r.Found.Count == 0 ? $"complete: no violation within bound {r.Bound}, {states} states{Omission(r)}"
                : $"complete within bound {r.Bound}, {states} states{Omission(r)}");
        }
        else if (r.Strategy is StrategyKind.Exhaustive or StrategyKind.Auto)
            parts.Add($"exhaustive search: on shard 0/{r.Shards}"); // the search is not split (Explorer)
        if (r.Strategy != StrategyKind.Exhaustive)
            parts.Add($"{r.Schedules.ToString("N0", CultureInfo.InvariantCulture)} {(r.Strategy == StrategyKind.Random ? "random" : "pct")} schedules");
        return string.Join(" + ", parts) + (r.Cancelled ? " (cancelled)" : "");
    }
}
