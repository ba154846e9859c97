using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>
/// The verdict on one ordering, decided once here and read by every report (text, <c>--json</c>, HTML, logs,
/// <c>merge</c>, <c>diff</c>, the catalog README). <see cref="Stated"/>: the ordering has an <c>expect</c> line;
/// <see cref="Missed"/>: it expects a violation and the run, finished, found none.
/// </summary>
public readonly record struct Verdict(VerdictKind Kind, bool Stated, bool Missed)
{
    /// <summary>The end of the note for a <see cref="Missed"/> expectation; a constant, so that a log message
    /// template can hold it.</summary>
    public const string NothingViolated = "but no schedule violated anything";

    /// <summary>
    /// Decides the verdict. A cancelled run establishes nothing (what it had not explored might hold the
    /// violation, or an unlisted one). "No violation" needs some exploration that can show it: a complete
    /// exhaustive search (§3.5: "within the bound"), or sampled schedules — so <c>auto</c>'s pass may rest on its
    /// pct phase when its search stopped at the state budget, but an incomplete search with no schedules after it
    /// (<c>exhaustive</c>, or <c>--schedules 0</c>) is <see cref="VerdictKind.Unproved"/>. One shard of a
    /// <c>--shard I/N</c> run (<paramref name="part"/>) establishes only that its part has no unlisted violation
    /// (<see cref="VerdictKind.Partial"/>) and leaves the verdict to <c>merge</c>.
    /// </summary>
    public static Verdict Of(HeaderLine.Expect? expect, IReadOnlyCollection<InvariantId> found,
        bool searchComplete, bool sampled, bool cancelled, bool part)
    {
        bool stated = expect is not null;
        if (cancelled) return new(VerdictKind.Cancelled, stated, false);
        if (part) return new(Expectation.NothingUnlisted(expect, found) ? VerdictKind.Partial : VerdictKind.Unmet, stated, false);
        if (!Expectation.IsMet(expect, found))
            return new(VerdictKind.Unmet, stated, expect is { Pass: false } && found.Count == 0);
        return new(found.Count > 0 || searchComplete || sampled ? VerdictKind.Met : VerdictKind.Unproved, stated, false);
    }

    /// <summary>The run stands by its expectation: met, or (one shard) nothing unexpected. Exit 0.</summary>
    public bool Established => Kind is VerdictKind.Met or VerdictKind.Partial;

    /// <summary>The word the reports print: met / UNMET against <c>expect</c>, pass / VIOLATED without one;
    /// UNPROVED, CANCELLED, partial. Upper case is what needs attention.</summary>
    public string Word => Kind switch
    {
        VerdictKind.Met => Stated ? "met" : "pass",
        VerdictKind.Unmet => Stated ? "UNMET" : "VIOLATED",
        VerdictKind.Unproved => "UNPROVED",
        VerdictKind.Cancelled => "CANCELLED",
        _ => "partial",
    };

    /// <summary>The verdict as data (<c>--json</c>): met, unmet, unproved, cancelled or partial.</summary>
    public string Name => NameOf(Kind);

    /// <summary>The word printed for a verdict (<c>MET</c>, <c>UNMET</c>, ...).</summary>
    public static string NameOf(VerdictKind kind) => kind switch
    {
        VerdictKind.Met => "met",
        VerdictKind.Unmet => "unmet",
        VerdictKind.Unproved => "unproved",
        VerdictKind.Cancelled => "cancelled",
        _ => "partial",
    };

    /// <summary>The note for a <see cref="Missed"/> expectation: "expected violation X, but no schedule violated anything".</summary>
    public static string MissedNote(string expectText) => $"expected {expectText}, {NothingViolated}";
}
