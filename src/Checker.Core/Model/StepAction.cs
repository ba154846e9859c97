namespace Checker.Model;

/// <summary>What an actor does at a step. Threads always <see cref="Step"/> (run their next op); so does a
/// generated shadow in the middle of a fault (the fault's next phase).</summary>
public enum StepAction : byte
{
    Step,
    Read,
    Write,
    Prefetch,
    Fault,
    Reuse,
}
