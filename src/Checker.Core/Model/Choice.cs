namespace Checker.Model;

/// <summary>
/// One scheduling decision: which actor moves, and for a generated environment actor what it does and on
/// which page. The unit everything nondeterministic in a run goes through (schedules are lists of these).
/// </summary>
public readonly record struct Choice(byte Actor, StepAction Action, byte Page)
{
    /// <summary>Thread <paramref name="actor"/> runs its next op.</summary>
    public static Choice Thread(int actor) => new((byte)actor, StepAction.Step, 0);

    /// <summary>Generated actor <paramref name="actor"/> does <paramref name="action"/> on <paramref name="page"/>.</summary>
    public static Choice Env(int actor, StepAction action, int page) => new((byte)actor, action, (byte)page);
}
