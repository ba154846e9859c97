using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>
/// What a replayed step ran, typed: the actor (its index and the actor itself), the op — a thread's
/// <see cref="Code"/> (its <c>if</c> condition included in <see cref="Text"/>), or a generated actor's
/// <see cref="Action"/> — the page an access or a fault is about (-1 for ops over ranges, whose range is in the
/// text) and <see cref="Text"/>, the op as the language writes it (<c>pte_wrprotect 0 2</c>, <c>write 0</c>,
/// <c>fault 1 (walk)</c>, <c>(returned)</c>). <see cref="ToString"/> is the trace line.
/// </summary>
public sealed record ReplayOp(int ActorIndex, Actor Actor, OpCode? Code, StepAction Action, int Page, string Text)
{
    /// <inheritdoc/>
    public override string ToString() => Actor.Name + ": " + Text;
}
