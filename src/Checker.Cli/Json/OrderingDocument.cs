using System.Text.Json.Serialization;
using Checker.Exploration;

namespace Checker.Cli.Json;

/// <summary>
/// One ordering of a <see cref="RunDocument"/>. <see cref="Expect"/> is the <c>expect</c> line as data (null: none);
/// <see cref="Verdict"/> the <see cref="Exploration.Verdict"/>'s name (met, unmet, unproved, cancelled, partial)
/// and <see cref="Met"/> whether it stands (exit 0). <see cref="Found"/> lists the invariants violated, in
/// invariant order; <see cref="Counterexamples"/> holds each one's <c>.trace</c> text and <see cref="Candidates"/>
/// the rank of its unshrunk candidate — what <c>merge</c> needs to keep the counterexample an unsharded run keeps.
/// </summary>
public sealed record OrderingDocument(
    string File,
    string Name,
    ExpectDocument? Expect,
    string Verdict,
    bool Met,
    IReadOnlyList<string> Found,
    IReadOnlyDictionary<string, string> Counterexamples,
    IReadOnlyDictionary<string, CandidateRank> Candidates,
    long Explored,
    long Schedules,
    long States,
    bool Complete,
    bool Cancelled,
    CostsDocument Costs)
{
    /// <summary>The classes exhaustive search treated as interchangeable (issue 14); empty when none.</summary>
    public IReadOnlyList<string> Symmetry { get; init; } = [];

    /// <summary>Upper bound on the chance that a complete search missed a state (fingerprint collision).</summary>
    public double OmissionBound { get; init; }

    /// <summary>§7 (issue 12): per counterexample, the page-table tree's state at each of its steps; left out of the
    /// document for an ordering without the tree.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyList<TreeStepDocument>>? TreeSteps { get; init; }
}
