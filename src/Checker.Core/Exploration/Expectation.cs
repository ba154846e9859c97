using Checker.Invariants;
using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>
/// <c>expect</c> semantics (DESIGN §3.5): <c>expect violation A B…</c> is met when at least one listed invariant
/// was found violated and no unlisted one; <c>expect pass</c> when nothing was found; with no <c>expect</c>
/// line, a run is fine when nothing was found. Whether a run <i>establishes</i> that is its <see cref="Verdict"/>.
/// </summary>
public static class Expectation
{
    /// <summary>Whether the invariants found meet the file's <c>expect</c> line (no line expects <c>pass</c>).</summary>
    public static bool IsMet(HeaderLine.Expect? expect, IReadOnlyCollection<InvariantId> found) =>
        NothingUnlisted(expect, found) && (expect is null || expect.Pass || found.Count > 0);

    /// <summary>Whether <paramref name="expect"/> lists <paramref name="id"/>: a counterexample of it is expected.</summary>
    public static bool Lists(HeaderLine.Expect? expect, InvariantId id)
    {
        if (expect is null || expect.Pass) return false;
        foreach (var e in expect.Violations)
            if (e == id) return true;
        return false;
    }

    /// <summary>No invariant was found that the expectation does not list (<c>pass</c> lists none).</summary>
    public static bool NothingUnlisted(HeaderLine.Expect? expect, IReadOnlyCollection<InvariantId> found)
    {
        foreach (var id in found)
            if (!Lists(expect, id)) return false;
        return true;
    }
}
