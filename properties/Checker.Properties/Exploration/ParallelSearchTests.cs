using Checker.Exploration;
using Checker.Generators;
using Checker.Model;
using Checker.Properties.Support;
using Checker.Vocabulary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace Checker.Properties.Exploration;

/// <summary>
/// Issue 14, item 3: the exhaustive search on several jobs. Two laws: the parallel search itself proves exactly what
/// the depth-first search proves — the same reachable states, counted exactly — and says "violation" or "limit"
/// whenever the depth-first search would not prove the ordering; and the answer a check reports
/// (<see cref="ExhaustiveAnswer"/>) is the same, path for path, on 1, 2 and 3 jobs. The generated orderings are small,
/// so the tests skip the depth-first probe and start the shared table at 512 slots: every search takes the parallel
/// path, hands work between workers and grows its table.
/// </summary>
public class ParallelSearchTests
{
    private const int Bound = 2;
    private const long Limit = 30_000;

    private static ParallelExhaustiveSearch Parallel(CompiledOrdering program, int jobs, long limit = Limit)
    {
        var search = new ParallelExhaustiveSearch(program, jobs, tableSlots: 512);
        search.Run(Bound, limit, CancellationToken.None);
        return search;
    }

    private static ExhaustiveExplorer DepthFirst(CompiledOrdering program, bool symmetry, int bound = Bound, long limit = Limit)
    {
        var search = new ExhaustiveExplorer(program, symmetry);
        search.Run(bound, limit, CancellationToken.None);
        return search;
    }

    /// <summary>What the parallel search must say, given the depth-first search's answer.</summary>
    private static Property Agrees(ExhaustiveExplorer dfs, ParallelExhaustiveSearch parallel, int jobs)
    {
        bool violated = Array.Exists(dfs.Found, f => f is not null);
        if (dfs.Complete && !violated)
            return (parallel.Outcome == ParallelOutcome.Proved && parallel.States == dfs.States)
                .Label($"{jobs} jobs: {parallel.Outcome} with {parallel.States} states; the depth-first search proved it with {dfs.States}");
        if (dfs.Complete)
            return (parallel.Outcome == ParallelOutcome.Violation)
                .Label($"{jobs} jobs: {parallel.Outcome}; the depth-first search found a violation in all of its {dfs.States} states");
        // cut by the limit: the parallel search meets the limit too, or a violation the cut hid from the depth-first one
        return (parallel.Outcome is ParallelOutcome.Limit or ParallelOutcome.Violation)
            .Label($"{jobs} jobs: {parallel.Outcome}; the depth-first search was cut at {dfs.States} states");
    }

    /// <summary>The parallel search is unreduced (with reduction a representative may depend on which member of its
    /// orbit a worker met first), so the depth-first search it is compared with is too.</summary>
    [Property(MaxTest = 300, QuietOnSuccess = true)]
    public Property TheParallelSearchProvesWhatTheDepthFirstSearchProves() =>
        Prop.ForAll(OrderingGen.Arbitrary(), ordering =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var dfs = DepthFirst(program, symmetry: false);
            var two = Parallel(program, 2);
            return Agrees(dfs, two, 2)
                .And(Agrees(dfs, Parallel(program, 3), 3))
                .Classify(two.Outcome == ParallelOutcome.Proved, "proved")
                .Classify(two.Outcome == ParallelOutcome.Violation, "violation")
                .Classify(two.Outcome == ParallelOutcome.Limit, "state limit")
                .Classify(dfs.States > 512 * 7 / 10, "the table grew");
        });

    private static Property Same(ExhaustiveAnswer one, ExhaustiveAnswer other, int jobs)
    {
        var property = (one.States == other.States).Label($"{jobs} jobs: {other.States} states, 1 job {one.States}")
            .And((one.Complete == other.Complete).Label($"{jobs} jobs: complete {other.Complete}, 1 job {one.Complete}"));
        for (int id = 0; id < Invariant.Count; id++)
        {
            var a = one.Found[id];
            var b = other.Found[id];
            bool same = (a is null && b is null) || (a is not null && b is not null && a.AsSpan().SequenceEqual(b)
                && one.FoundEnvironmentActions[id] == other.FoundEnvironmentActions[id]);
            property = property.And(same.Label($"{jobs} jobs: the counterexample for {Invariant.NameOf((InvariantId)id)} differs"));
        }
        return property;
    }

    private static ExhaustiveAnswer Answer(CompiledOrdering program, int jobs, bool symmetry, long limit) =>
        ExhaustiveAnswer.Search(program, Bound, limit, symmetry, jobs, CancellationToken.None, probeStates: 0, tableSlots: 512);

    [Property(MaxTest = 300, QuietOnSuccess = true)]
    public Property OneTwoAndThreeJobsAnswerTheSame() =>
        Prop.ForAll(OrderingGen.Arbitrary(), Gen.Elements(true, false).ToArbitrary(), Gen.Elements(Limit, 300L, 2_000L).ToArbitrary(),
            (ordering, symmetry, limit) =>
            {
                var program = CompiledOrdering.Compile(ordering);
                var one = Answer(program, 1, symmetry, limit);
                var two = Answer(program, 2, symmetry, limit);
                return Same(one, two, 2)
                    .And(Same(one, Answer(program, 3, symmetry, limit), 3))
                    .And((one.Source == AnswerSource.DepthFirst).Label($"1 job answered by {one.Source}"))
                    .Classify(two.Source == AnswerSource.Parallel, "2 jobs: the parallel search's proof")
                    .Classify(two.Source == AnswerSource.DepthFirst && one.Complete, "2 jobs: a violation, the depth-first search's paths")
                    .Classify(!one.Complete, "cut by the state limit");
            });

    /// <summary>The probe: a search that ends within it is the depth-first search's, with its paths; one that does
    /// not goes on in parallel.</summary>
    [Fact]
    public void SmallSearchesEndInTheProbeAndBigOnesGoOnInParallel()
    {
        var small = Program("catalog/mremap-6.6.order");
        var answer = ExhaustiveAnswer.Search(small, 4, ExplorationOptions.DefaultStateLimit, false, 2, CancellationToken.None);
        Assert.Equal(AnswerSource.Probe, answer.Source);
        var big = Program("bench/orderings/mremap-scaled/mremap-6.6-4.order");
        answer = ExhaustiveAnswer.Search(big, 4, ExplorationOptions.DefaultStateLimit, false, 2, CancellationToken.None, probeStates: 20_000);
        Assert.Equal(AnswerSource.Parallel, answer.Source);
        Assert.True(answer.Complete);
        Assert.Equal(DepthFirst(big, false, 4, ExplorationOptions.DefaultStateLimit).States, answer.States);
        // with symmetry reduction on, the search stays depth-first whatever its size
        answer = ExhaustiveAnswer.Search(big, 4, ExplorationOptions.DefaultStateLimit, true, 2, CancellationToken.None, probeStates: 1_000);
        Assert.Equal(AnswerSource.DepthFirst, answer.Source);
        Assert.Equal(DepthFirst(big, true, 4, ExplorationOptions.DefaultStateLimit).States, answer.States);
    }

    /// <summary>A search of ~95,000 states with the default table and batches, on 2 and 3 jobs.</summary>
    [Fact]
    public void ABiggerSearchProvesTheSameStatesOnTwoAndThreeJobs()
    {
        var program = Program("bench/orderings/mremap-scaled/mremap-6.6-4.order");
        var dfs = DepthFirst(program, false, 4, ExplorationOptions.DefaultStateLimit);
        Assert.True(dfs.Complete);
        foreach (int jobs in new[] { 2, 3 })
        {
            var parallel = new ParallelExhaustiveSearch(program, jobs);
            parallel.Run(4, ExplorationOptions.DefaultStateLimit, CancellationToken.None);
            Assert.Equal(ParallelOutcome.Proved, parallel.Outcome);
            Assert.Equal(dfs.States, parallel.States);
        }
    }

    /// <summary>A limit below the state count: the parallel search stops at it, and the check's answer is the
    /// depth-first search's cut, state for state.</summary>
    [Fact]
    public void TheStateLimitIsTheDepthFirstSearchsCut()
    {
        var program = Program("bench/orderings/mremap-scaled/mremap-6.6-4.order");
        var parallel = new ParallelExhaustiveSearch(program, 2);
        parallel.Run(4, 50_000, CancellationToken.None);
        Assert.Equal(ParallelOutcome.Limit, parallel.Outcome);
        var answer = ExhaustiveAnswer.Search(program, 4, 50_000, false, 2, CancellationToken.None, probeStates: 10_000);
        Assert.Equal(AnswerSource.DepthFirst, answer.Source);
        Assert.False(answer.Complete);
        Assert.Equal(50_000, answer.States);
    }

    /// <summary>One ordering per run, so that the search itself runs on all J jobs (several orderings run one job
    /// each). The scaled files end within the probe; the large munmap race without symmetry (531,524 states) goes
    /// on in parallel.</summary>
    [Theory]
    [InlineData("bench/orderings/mremap-scaled/mremap-6.6-4.order", false, false)]
    [InlineData("bench/orderings/mremap-scaled/mremap-6.6-8.order", true, false)]
    [InlineData("bench/orderings/mremap-scaled/mremap-6.6-16.order", true, false)]
    [InlineData("bench/orderings/mremap-scaled/mremap-6.6-64.order", true, false)]
    [InlineData("bench/orderings/munmap-race-large.order", false, true)]
    public void JsonOfOneFileIsByteIdenticalForJobsOneTwoAndThree(string relative, bool symmetry, bool parallel)
    {
        var file = RepositoryFiles.PathOf(relative);
        var outputs = new List<string>();
        foreach (string jobs in new[] { "1", "2", "3" })
        {
            string[] args = ["check", file, "--strategy", "exhaustive", "--json", "--jobs", jobs];
            var run = CliRunner.Run(symmetry ? args : [.. args, "--no-symmetry"]);
            Assert.Equal(0, run.Exit);
            outputs.Add(run.Out);
        }
        Assert.Equal(outputs[0], outputs[1]);
        Assert.Equal(outputs[0], outputs[2]);
        Assert.Contains("\"complete\": true", outputs[0]);
        Assert.Equal(parallel, CompiledStates(outputs[0]) > ExhaustiveAnswer.ProbeStates);
    }

    private static long CompiledStates(string json)
    {
        int at = json.IndexOf("\"states\": ", StringComparison.Ordinal) + "\"states\": ".Length;
        int end = at;
        while (char.IsDigit(json[end])) end++;
        return long.Parse(json[at..end], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void CancellingStopsTheParallelSearchIncomplete()
    {
        var program = Program("bench/orderings/mremap-scaled/mremap-6.6-16.order");
        using var cancel = new CancellationTokenSource();
        var progress = new CancelAfterFirstReport(cancel);
        var search = new ParallelExhaustiveSearch(program, 2);
        search.Run(4, 50_000_000, cancel.Token, progress);
        Assert.True(progress.Reports > 0);
        Assert.Equal(ParallelOutcome.Cancelled, search.Outcome);
        Assert.InRange(search.States, 1, 5_000_000);
    }

    private static CompiledOrdering Program(string relative)
    {
        var path = RepositoryFiles.PathOf(relative);
        return CompiledOrdering.Compile(Models.Parse(File.ReadAllText(path), path));
    }

    private sealed class CancelAfterFirstReport(CancellationTokenSource cancel) : IExplorationProgress
    {
        public int Reports;

        public void Searched(long states)
        {
            Reports++;
            cancel.Cancel();
        }

        public void Sampled(long schedules) { }
    }
}
