using Checker.Text;
using Checker.Model;

namespace Checker.Reports;

/// <summary>One row of a swim-lane diagram: the acting lane and its op in kernel vocabulary, what the step did,
/// the markers it left in other lanes, and the state after it.</summary>
public sealed record SwimLaneStep(
    int Step,
    int Lane,
    string Actor,
    string Op,
    StepEffects Effects,
    bool Violating,
    EquatableArray<LaneMark> Marks,
    StateSnapshot After);
