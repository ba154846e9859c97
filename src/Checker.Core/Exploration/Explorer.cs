using System.Diagnostics;
using System.Numerics;
using Checker.Invariants;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>
/// Checks one compiled ordering with a strategy (DESIGN §4): collects every invariant seen violated (each
/// schedule stops at its first), keeps one candidate per invariant — fewest environment actions, then
/// fewest steps, then earliest (exhaustive before sampled, lower schedule index) — shrinks it, and compares
/// the found set with <c>expect</c>. The result depends only on the ordering, the options and the seed:
/// schedules are seeded by index, and candidates are chosen by that total order, not by timing, so
/// <c>--jobs</c> does not change it. On several jobs a single ordering's exhaustive search runs on all of them, with
/// the same answer (<see cref="ExhaustiveAnswer"/>: the parallel search shares one visited table between its
/// workers; its proof is order-independent, and anything else is the depth-first search's). <c>--shard I/N</c> runs a deterministic part: every N-th schedule index, and
/// the whole exhaustive search on shard 0 only. (Splitting the search itself does not pay: the state spaces are
/// confluent — interleavings commute — so any split of subtrees without shared visited tables leaves every
/// shard reaching nearly every state; measured 918 + 880 states against 940 whole for mremap-6.0 with subtrees
/// split at the first step, and 525,058 + 523,912 against 531,524 split by state hash at depth 6.) Merged,
/// the parts give the whole run's found set, and the exhaustive figures are the unsharded run's.
/// </summary>
public static class Explorer
{
    /// <summary>Explores <paramref name="program"/> with <paramref name="options"/>, shrinks every violation found to
    /// a minimal counterexample and judges the file's <c>expect</c> line; <paramref name="file"/> names the ordering in
    /// the result. Cancelling returns what was found so far; <paramref name="progress"/>, when given, hears how far the
    /// search got.</summary>
    public static OrderingResult Check(CompiledOrdering program, string file, ExplorationOptions options,
        CancellationToken cancel = default, IExplorationProgress? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var candidates = new Candidate?[Invariant.Count];
        TimeSpan? first = null;
        long states = 0, schedules = 0;
        bool exhaustiveRan = false, complete = false, searchCut = false;
        Symmetry.SymmetryPlan? symmetry = null;

        if ((options.Strategy is StrategyKind.Exhaustive or StrategyKind.Auto) && options.Shard != 0)
            complete = true; // the search is shard 0's (below): this shard's part of it is empty
        else if (options.Strategy is StrategyKind.Exhaustive or StrategyKind.Auto)
        {
            exhaustiveRan = true;
            var search = ExhaustiveAnswer.Search(program, options.Bound, options.StateLimit, options.Symmetry, options.Jobs, cancel, progress);
            symmetry = search.Symmetry;
            states = search.States;
            complete = search.Complete;
            searchCut = !complete && cancel.IsCancellationRequested;
            for (int id = 0; id < Invariant.Count; id++)
            {
                if (search.Found[id] is not { } path) continue;
                Offer(candidates, new Candidate(path, search.FoundEnvironmentActions[id], -1, $"exhaustive, bound {options.Bound}"), id);
                first ??= clock.Elapsed;
            }
            progress?.Searched(states);
        }

        if (options.Strategy != StrategyKind.Exhaustive && !cancel.IsCancellationRequested)
        {
            var kind = options.Strategy == StrategyKind.Random ? StrategyKind.Random : StrategyKind.Pct;
            var sampled = Sample(program, kind, options, clock, cancel, progress);
            schedules = sampled.Schedules;
            for (int id = 0; id < Invariant.Count; id++)
                if (sampled.Candidates[id] is { } c) Offer(candidates, c, id);
            if (sampled.First is { } f && (first is null || f < first)) first = f;
        }

        // cancelled = Ctrl-C cut the search or the sampling short (a run that had finished exploring is not;
        // shrinking goes on). A search that stopped at its state budget stays incomplete, not cancelled.
        bool cancelled = cancel.IsCancellationRequested
            && (searchCut || (options.Strategy != StrategyKind.Exhaustive && schedules < options.ScheduleShare));
        var counterexamples = new SortedDictionary<InvariantId, Counterexample>();
        var shrinker = new Shrinker(program, options.ShrinkBudget);
        for (int id = 0; id < Invariant.Count; id++)
        {
            if (candidates[id] is not { } c) continue;
            var steps = shrinker.Shrink(c.Steps, (InvariantId)id);
            var schedule = new Schedule(program, [.. steps]);
            var run = Executor.Run(program, schedule);
            if (run.Violation is null || run.Violation.Id != (InvariantId)id)
                throw new InvalidOperationException($"the shrunk counterexample for {Invariant.NameOf((InvariantId)id)} does not replay");
            counterexamples[(InvariantId)id] = new Counterexample(schedule, run.Violation, c.Origin) { Rank = c.Rank };
        }
        var found = new List<InvariantId>(counterexamples.Keys);
        var verdict = Verdict.Of(program.Source.Expect, found, exhaustiveRan && complete, schedules > 0, cancelled,
            part: options.Shards > 1);
        return new OrderingResult(program, file, options.Strategy, verdict, found,
            counterexamples, schedules, states, exhaustiveRan, complete, options.Bound,
            options.PctDepth, CostProfile.Of(program), clock.Elapsed, first, cancelled)
        {
            Shard = options.Shard, Shards = options.Shards,
            SymmetryClasses = symmetry?.Describe() ?? [], SymmetryOff = symmetry?.DisabledBecause,
        };
    }

    private static void Offer(Candidate?[] best, Candidate c, int id)
    {
        if (best[id] is not { } b || c.IsBetterThan(b)) best[id] = c;
    }

    private sealed record SampleResult(Candidate?[] Candidates, long Schedules, TimeSpan? First);

    /// <summary>Runs this shard's schedules (global indices ≡ shard mod shards) on <c>Jobs</c> workers, each
    /// taking every Jobs-th of them.</summary>
    private static SampleResult Sample(CompiledOrdering program, StrategyKind kind, ExplorationOptions options,
        Stopwatch clock, CancellationToken cancel, IExplorationProgress? progress)
    {
        int jobs = Math.Max(1, options.Jobs);
        long total = options.Schedules;
        var perJob = new Candidate?[jobs][];
        var counts = new long[jobs];
        var firsts = new TimeSpan?[jobs];
        long done = 0;
        void Work(int job)
        {
            var sampler = new ScheduleSampler(program, options.Bound);
            var best = new Candidate?[Invariant.Count];
            long n = 0;
            for (long index = (long)options.Shard + (long)job * options.Shards; index < total; index += (long)jobs * options.Shards)
            {
                if ((n & 255) == 0)
                {
                    if (cancel.IsCancellationRequested) break;
                    if (job == 0) progress?.Sampled(Interlocked.Read(ref done));
                }
                uint violated = sampler.Run(kind, Rng.Derive(options.Seed, index), options.Bound, options.PctDepth);
                n++;
                if ((n & 255) == 0) Interlocked.Add(ref done, 256);
                if (violated == 0) continue;
                int id = BitOperations.TrailingZeroCount(violated);
                firsts[job] ??= clock.Elapsed;
                var b = best[id];
                if (b is not null && b.EnvironmentActions <= sampler.EnvironmentActions
                    && (b.EnvironmentActions < sampler.EnvironmentActions || b.Steps.Length <= sampler.Length)) continue;
                best[id] = new Candidate(sampler.Steps[..sampler.Length], sampler.EnvironmentActions, index,
                    (kind == StrategyKind.Pct ? $"pct d={options.PctDepth}" : "random") + $", seed {options.Seed}, schedule {index}, bound {options.Bound}");
            }
            perJob[job] = best;
            counts[job] = n;
        }
        if (jobs == 1) Work(0);
        else
        {
            var threads = new Thread[jobs];
            for (int j = 0; j < jobs; j++)
            {
                int job = j;
                threads[j] = new Thread(() => Work(job)) { IsBackground = true, Name = "checker-job-" + job };
                threads[j].Start();
            }
            foreach (var t in threads) t.Join();
        }
        var merged = new Candidate?[Invariant.Count];
        long schedules = 0;
        TimeSpan? first = null;
        for (int j = 0; j < jobs; j++)
        {
            schedules += counts[j];
            if (firsts[j] is { } f && (first is null || f < first)) first = f;
            for (int id = 0; id < Invariant.Count; id++)
                if (perJob[j][id] is { } c) Offer(merged, c, id);
        }
        return new SampleResult(merged, schedules, first);
    }

    /// <summary>A violating schedule found by a strategy, before shrinking.</summary>
    private sealed record Candidate(Choice[] Steps, int EnvironmentActions, long Index, string Origin)
    {
        public CandidateRank Rank => new(EnvironmentActions, Steps.Length, Index);

        public bool IsBetterThan(Candidate other) => Rank.CompareTo(other.Rank) < 0;
    }
}
