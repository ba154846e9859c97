using Checker.Invariants;
using Checker.Model;

namespace Checker.Exploration;

/// <summary>What replaying a trace gave: whether it reproduced the recorded violation at the recorded step,
/// and if not, where and how it differed.</summary>
public sealed record ReplayResult(bool Reproduced, string Message, RunResult Run)
{
    /// <summary>The violation the replay reached, or null.</summary>
    public Violation? Violation => Run.Violation;
}
