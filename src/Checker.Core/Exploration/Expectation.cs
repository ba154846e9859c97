using Checker.Invariants;
using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>
/// <c>expect</c> semantics (DESIGN §3.5): <c>expect violation A B…</c> is met when at least one listed invariant
/// was found violated and no unlisted one; <c>expect pass</c> when nothing was found; with no <c>expect</c>
/// line, a run is fine when nothing was found.
/// </summary>
public static class Expectation
{
    public static bool IsMet(HeaderLine.Expect? expect, IReadOnlyCollection<InvariantId> found) =>
        NothingUnlisted(expect, found) && (expect is null || expect.Pass || found.Count > 0);

    /// <summary>
    /// Whether a run establishes that <paramref name="expect"/> is met. A cancelled run establishes nothing
    /// (what it had not explored might hold the violation, or an unlisted one). "No violation" needs some
    /// exploration that can show it: a complete exhaustive search (§3.5: "within the bound"), or sampled
    /// schedules — so <c>auto</c>'s pass may rest on its pct phase when its search stopped at the state budget,
    /// but an incomplete search with no schedules after it (<c>exhaustive</c>, or <c>--schedules 0</c>) proves
    /// nothing. One shard of a <c>--shard I/N</c> run (<paramref name="part"/>) establishes only that its part
    /// is consistent with the expectation — no unlisted violation — and leaves the verdict to <c>merge</c>.
    /// </summary>
    public static bool IsEstablished(HeaderLine.Expect? expect, IReadOnlyCollection<InvariantId> found,
        bool searchComplete, bool sampled, bool cancelled, bool part = false)
    {
        if (cancelled) return false;
        if (part) return NothingUnlisted(expect, found);
        if (!IsMet(expect, found)) return false;
        return found.Count > 0 || searchComplete || sampled;
    }

    /// <summary>No invariant was found that the expectation does not list (<c>pass</c> lists none).</summary>
    private static bool NothingUnlisted(HeaderLine.Expect? expect, IReadOnlyCollection<InvariantId> found)
    {
        if (expect is null || expect.Pass) return found.Count == 0;
        foreach (var id in found)
        {
            bool listed = false;
            foreach (var e in expect.Violations) listed |= e == id;
            if (!listed) return false;
        }
        return true;
    }
}
