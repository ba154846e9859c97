using Checker.Invariants;
using Checker.Language;

namespace Checker.Exploration;

/// <summary>
/// <c>expect</c> semantics (DESIGN §3.5): <c>expect violation A B…</c> is met when at least one listed invariant
/// was found violated and no unlisted one; <c>expect pass</c> when nothing was found; with no <c>expect</c>
/// line, a run is fine when nothing was found.
/// </summary>
public static class Expectation
{
    public static bool IsMet(HeaderLine.Expect? expect, IReadOnlyCollection<InvariantId> found)
    {
        if (expect is null || expect.Pass) return found.Count == 0;
        if (found.Count == 0) return false;
        foreach (var id in found)
        {
            bool listed = false;
            foreach (var e in expect.Violations) listed |= e == id;
            if (!listed) return false;
        }
        return true;
    }

    /// <summary>
    /// Whether a run establishes that <paramref name="expect"/> is met. A cancelled run establishes nothing
    /// (what it had not explored might hold the violation, or an unlisted one). With the <c>exhaustive</c>
    /// strategy, "no violation" means "none within the bound" (§3.5), which only a complete search shows: an
    /// incomplete one that found nothing does not meet <c>expect pass</c>. <c>auto</c>'s exhaustive phase may
    /// stop at its state budget; its pass rests on the pct phase that follows, as for <c>random</c> and <c>pct</c>.
    /// </summary>
    public static bool IsEstablished(HeaderLine.Expect? expect, IReadOnlyCollection<InvariantId> found,
        StrategyKind strategy, bool complete, bool cancelled)
    {
        if (cancelled || !IsMet(expect, found)) return false;
        return found.Count > 0 || strategy != StrategyKind.Exhaustive || complete;
    }
}
