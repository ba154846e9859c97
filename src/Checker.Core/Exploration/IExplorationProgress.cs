namespace Checker.Exploration;

/// <summary>
/// What a running <see cref="Explorer.Check"/> tells a progress display. Called off the hot path: the
/// exhaustive phase reports every 16,384 expansions and once when it ends, the sampling phase every 256
/// schedules of its first job.
/// </summary>
public interface IExplorationProgress
{
    /// <summary>The exhaustive phase has visited <paramref name="states"/> distinct states so far.</summary>
    void Searched(long states);

    /// <summary>The sampling phase (random or pct) has run <paramref name="schedules"/> schedules so far.</summary>
    void Sampled(long schedules);
}
