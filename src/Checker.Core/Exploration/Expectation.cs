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
}
