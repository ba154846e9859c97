using Checker.Exploration;
using Checker.Model;
using Checker.Text;

namespace Checker.Reports;

/// <summary>One row of a swim-lane diagram: the acting lane, the replayed step (its op, the effects the machine
/// reported, the state after it) and the markers it left in the lanes.</summary>
public sealed record SwimLaneStep(int Lane, ReplayStep Replay, EquatableArray<LaneMark> Marks)
{
    /// <summary>The 1-based step number.</summary>
    public int Step => Replay.Step;

    /// <summary>The actor that moved.</summary>
    public string Actor => Replay.Op.Actor.Name;

    /// <summary>The op as written (and why it could not run, when it could not).</summary>
    public string Op => StepTable.OpText(Replay);

    /// <summary>True on the violating step.</summary>
    public bool Violating => Replay.Violating;

    /// <summary>The state after the step.</summary>
    public StateSnapshot After => Replay.After;
}
