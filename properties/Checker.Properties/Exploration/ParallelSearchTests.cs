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

/// <summary>Issue 14, item 3: the exhaustive search on several jobs finds exactly what it finds on one — the same
/// states, the same "complete", the same counterexamples (choice by choice), and, when the state limit cuts it, the
/// cut at the same place — because the blocks of a level are merged in their order, never in the order the
/// workers finish them.</summary>
public class ParallelSearchTests
{
    private const int Bound = 2;

    private static ExhaustiveExplorer Search(CompiledOrdering program, int jobs, long limit, bool symmetry)
    {
        var search = new ExhaustiveExplorer(program, symmetry, jobs);
        search.Run(Bound, limit, CancellationToken.None);
        return search;
    }

    private static Property Same(ExhaustiveExplorer one, ExhaustiveExplorer other, int jobs)
    {
        var property = (one.States == other.States).Label($"{jobs} jobs: {other.States} states, 1 job {one.States}")
            .And((one.Complete == other.Complete).Label($"{jobs} jobs: complete {other.Complete}, 1 job {one.Complete}"))
            .And((one.Expansions == other.Expansions).Label($"{jobs} jobs: {other.Expansions} expansions, 1 job {one.Expansions}"))
            .And((one.Transitions == other.Transitions).Label($"{jobs} jobs: {other.Transitions} transitions, 1 job {one.Transitions}"));
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

    [Property(MaxTest = 300, QuietOnSuccess = true)]
    public Property OneTwoAndThreeJobsFindTheSame() =>
        Prop.ForAll(OrderingGen.Arbitrary(), Gen.Elements(true, false).ToArbitrary(), (ordering, symmetry) =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var one = Search(program, 1, 30_000, symmetry);
            return Same(one, Search(program, 2, 30_000, symmetry), 2)
                .And(Same(one, Search(program, 3, 30_000, symmetry), 3))
                .Classify(!one.Complete, "hit the state limit")
                .Classify(one.States > 5_000, "more than 5,000 states")
                .Classify(Array.Exists(one.Found, f => f is not null), "some invariant violated");
        });

    [Property(MaxTest = 200, QuietOnSuccess = true)]
    public Property TheStateLimitCutsAtTheSamePlace() =>
        Prop.ForAll(OrderingGen.Arbitrary(), Gen.Choose(2, 3000).ToArbitrary(), (ordering, limit) =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var one = Search(program, 1, limit, symmetry: false);
            return Same(one, Search(program, 2, limit, symmetry: false), 2)
                .And(Same(one, Search(program, 3, limit, symmetry: false), 3))
                .And((one.Complete || one.States == limit).Label($"cut at {one.States} states, the limit is {limit}"))
                .Classify(!one.Complete, "cut by the limit");
        });

    /// <summary>The big case, where the levels have many blocks and every job takes some: the scaled mremap file at
    /// 8 pages without symmetry (hundreds of thousands of states), cut by a limit in the middle of a level.</summary>
    [Fact]
    public void ABigSearchIsTheSameOnOneTwoAndThreeJobs()
    {
        var path = RepositoryFiles.PathOf("bench/orderings/mremap-scaled/mremap-6.6-8.order");
        var program = CompiledOrdering.Compile(Models.Parse(File.ReadAllText(path), path));
        var one = new ExhaustiveExplorer(program, symmetry: false, jobs: 1);
        one.Run(4, 400_000, CancellationToken.None);
        Assert.False(one.Complete);
        Assert.Equal(400_000, one.States);
        foreach (int jobs in new[] { 2, 3 })
        {
            var other = new ExhaustiveExplorer(program, symmetry: false, jobs);
            other.Run(4, 400_000, CancellationToken.None);
            Assert.Equal(one.States, other.States);
            Assert.Equal(one.Expansions, other.Expansions);
            Assert.Equal(one.Transitions, other.Transitions);
            Assert.False(other.Complete);
        }
    }

    /// <summary>One ordering per run, so that the search itself runs on all J jobs (several orderings run one
    /// job each).</summary>
    [Theory]
    [InlineData("4", false)]
    [InlineData("8", true)]
    [InlineData("16", true)]
    [InlineData("64", true)]
    public void JsonOfOneScaledFileIsByteIdenticalForJobsOneTwoAndThree(string pages, bool symmetry)
    {
        var file = RepositoryFiles.PathOf($"bench/orderings/mremap-scaled/mremap-6.6-{pages}.order");
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
    }

    [Fact]
    public void CancellingStopsTheParallelSearchIncomplete()
    {
        var path = RepositoryFiles.PathOf("bench/orderings/mremap-scaled/mremap-6.6-16.order");
        var program = CompiledOrdering.Compile(Models.Parse(File.ReadAllText(path), path));
        using var cancel = new CancellationTokenSource();
        var progress = new CancelAfterFirstReport(cancel);
        var search = new ExhaustiveExplorer(program, symmetry: false, jobs: 2);
        search.Run(4, 50_000_000, cancel.Token, progress);
        Assert.True(progress.Reports > 0);
        Assert.False(search.Complete);
        Assert.InRange(search.States, 1, 5_000_000);
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
