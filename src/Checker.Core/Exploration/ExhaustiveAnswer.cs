using Checker.Exploration.Symmetry;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>Which search gave an <see cref="ExhaustiveAnswer"/>.</summary>
internal enum AnswerSource
{
    /// <summary>The depth-first search, to its end or its state limit.</summary>
    DepthFirst,
    /// <summary>The depth-first search's first <see cref="ExhaustiveAnswer.ProbeStates"/> states, which were all.</summary>
    Probe,
    /// <summary>The parallel search's proof.</summary>
    Parallel,
}

/// <summary>
/// What the exhaustive phase of a check found: the states, whether the search was complete, and the best violating
/// path per invariant. With one job that is <see cref="ExhaustiveExplorer"/>'s answer. With several (issue 14) it is
/// the same answer, found faster when the ordering holds:
/// <list type="number">
/// <item>the depth-first search runs first, up to <see cref="ProbeStates"/> states; most orderings end there, and
/// then its answer is the whole search's (the same search in the same order);</item>
/// <item>otherwise, unless it has met a violation already or symmetry reduction is on (a representative can depend on
/// which member of its orbit was met first, and so the count on timing), <see cref="ParallelExhaustiveSearch"/> runs on
/// every job;
/// if it explores everything without a violation and below the limit, its proof — the exact set of reachable states,
/// whatever order they were found in — is the answer;</item>
/// <item>otherwise (a violation, or the state limit) the depth-first search runs from the start, and its
/// counterexamples and its cut are the answer.</item>
/// </list>
/// So the answer never depends on the number of jobs; a violating or cut search costs the parallel part in addition
/// to the depth-first one.
/// </summary>
internal sealed record ExhaustiveAnswer(SymmetryPlan Symmetry, long States, bool Complete, Choice[]?[] Found,
    int[] FoundEnvironmentActions, AnswerSource Source)
{
    /// <summary>How far the depth-first search runs alone before the parallel one takes over.</summary>
    public const long ProbeStates = 100_000;

    /// <summary>Searches <paramref name="program"/> within <paramref name="bound"/> environment actions and
    /// <paramref name="stateLimit"/> states on <paramref name="jobs"/> workers (see the type's summary). Tests shorten
    /// the depth-first probe (<paramref name="probeStates"/>) and start the parallel search's table small
    /// (<paramref name="tableSlots"/>), so that small orderings take the parallel path and grow its table.</summary>
    public static ExhaustiveAnswer Search(CompiledOrdering program, int bound, long stateLimit, bool symmetry, int jobs,
        CancellationToken cancel, IExplorationProgress? progress = null, long probeStates = ProbeStates, int tableSlots = 0)
    {
        var search = new ExhaustiveExplorer(program, symmetry);
        search.Start(bound);
        // with symmetry reduction a state's representative can depend on which member of its orbit was expanded
        // first (ties in the canonical form keep index order), so the state count of a parallel proof could depend on
        // timing: reduced searches stay depth-first
        if (jobs > 1 && !search.Symmetry.Reduces && search.Continue(stateLimit, probeStates, cancel, progress))
        {
            var parallel = new ParallelExhaustiveSearch(program, jobs, tableSlots);
            parallel.Run(search, bound, stateLimit, cancel, progress);
            if (parallel.Outcome is ParallelOutcome.Proved or ParallelOutcome.Cancelled)
                return new ExhaustiveAnswer(search.Symmetry, parallel.States, parallel.Outcome == ParallelOutcome.Proved,
                    new Choice[Invariant.Count][], new int[Invariant.Count], AnswerSource.Parallel);
            // a violation or the limit: the depth-first search goes on from its pause, as if it had never stopped
            search.Continue(stateLimit, long.MaxValue, cancel, progress);
            return Of(search, AnswerSource.DepthFirst);
        }
        if (jobs > 1 && !search.Symmetry.Reduces) return Of(search, AnswerSource.Probe);
        search.Continue(stateLimit, long.MaxValue, cancel, progress);
        return Of(search, AnswerSource.DepthFirst);
    }

    private static ExhaustiveAnswer Of(ExhaustiveExplorer search, AnswerSource source) =>
        new(search.Symmetry, search.States, search.Complete, search.Found, search.FoundEnvironmentActions, source);
}
