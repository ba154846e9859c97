namespace Checker.Exploration;

/// <summary>
/// A run's orderings counted by verdict, for its closing line: met (for one shard: partial), unmet (unproved
/// included: neither establishes the expectation) and cancelled (not met, and not counted as unmet either).
/// </summary>
public readonly record struct VerdictTally(int Orderings, int Met, int Unmet, int Cancelled, bool Part)
{
    /// <summary>Counts the verdicts of a run's results.</summary>
    public static VerdictTally Of(IReadOnlyList<OrderingResult> results)
    {
        int met = 0, cancelled = 0;
        foreach (var r in results)
        {
            if (r.Verdict.Established) met++;
            else if (r.Verdict.Kind == VerdictKind.Cancelled) cancelled++;
        }
        return new(results.Count, met, results.Count - met - cancelled, cancelled, results.Count > 0 && results[0].Shards > 1);
    }

    /// <summary>"N orderings: A met, B unmet[, C cancelled]" (for one shard: "A partial").</summary>
    public override string ToString() =>
        $"{Orderings} {(Orderings == 1 ? "ordering" : "orderings")}: {Met} {(Part ? "partial" : "met")}, {Unmet} unmet"
        + (Cancelled > 0 ? $", {Cancelled} cancelled" : "");
}
