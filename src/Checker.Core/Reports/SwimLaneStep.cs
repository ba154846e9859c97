using Checker.Exploration;
using Checker.Model;
using Checker.Text;

namespace Checker.Reports;

/// <summary>One row of a swim-lane diagram: the acting lane, the replayed step (its op, the effects the machine
/// reported, the state after it) and the markers it left in the lanes.</summary>
public sealed record SwimLaneStep(int Lane, ReplayStep Replay, EquatableArray<LaneMark> Marks)
{
    public int Step => Replay.Step;

    public string Actor => Replay.Op.Actor.Name;

    /// <summary>The op as written (and why it could not run, when it could not).</summary>
    public string Op => StepTable.OpText(Replay);

    public bool Violating => Replay.Violating;

    public StateSnapshot After => Replay.After;
}
