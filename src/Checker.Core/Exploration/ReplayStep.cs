using Checker.Model;
using Checker.Text;

namespace Checker.Exploration;

/// <summary>
/// One step of a <see cref="CounterexampleReplay"/>: its number (1-based), the op, the typed state after it, the
/// effects the machine reported while running it, and the violation it caused (null when none). A step that
/// could not be taken has <see cref="NotEnabled"/> (why not), no effects, the state unchanged, and ends the replay.
/// </summary>
public sealed record ReplayStep(
    int Step,
    ReplayOp Op,
    StateSnapshot After,
    EquatableArray<StepEffect> Effects,
    Violation? Violation,
    string? NotEnabled)
{
    /// <summary>True on the step that violated an invariant.</summary>
    public bool Violating => Violation is not null;

    /// <summary>True when the step reported an effect of type <typeparamref name="T"/>.</summary>
    public bool Has<T>() where T : StepEffect
    {
        foreach (var e in Effects)
            if (e is T) return true;
        return false;
    }
}
