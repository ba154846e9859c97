using Checker.Invariants;
using Checker.Model;

namespace Checker.Exploration;

/// <summary>
/// What running a schedule gave: the first violation (or none), how many steps ran, the cost counters,
/// and — when a step could not be taken — where and why the run diverged from the schedule.
/// </summary>
public sealed record RunResult(Violation? Violation, int StepsRun, Costs Costs, int DivergedAt, string? Divergence, bool AllThreadsDone)
{
    /// <summary>True when the schedule could not be followed to its end (see <see cref="RunResult.Divergence"/>).</summary>
    public bool Diverged => Divergence is not null;
}
