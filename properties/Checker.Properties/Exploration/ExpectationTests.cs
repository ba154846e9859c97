using Checker.Exploration;
using Checker.Invariants;
using Checker.Language;
using Checker.Properties.Support;
using Xunit;
using Checker.Vocabulary;

namespace Checker.Properties.Exploration;

/// <summary>When a run establishes its <c>expect</c> (DESIGN §3.5): never when cancelled; "no violation" only
/// from a complete search or from sampled schedules; one shard only that its part has nothing unexpected.</summary>
public class ExpectationTests
{
    private static HeaderLine.Expect? Expect(string line) =>
        Models.Parse($"{line}\nthread t\n  mmap_read_lock\n  mmap_read_unlock\n").Expect;

    [Theory]
    //          expect         complete search, sampled, cancelled, part → established
    [InlineData("expect pass", true, false, false, false, true)]   // exhaustive, complete
    [InlineData("expect pass", false, false, false, false, false)] // exhaustive stopped at its state budget, or
                                                                   // pct / random / auto with --schedules 0
    [InlineData("expect pass", false, true, false, false, true)]   // auto: the pct phase after the cut search
    [InlineData("expect pass", false, true, true, false, false)]   // Ctrl-C
    [InlineData("expect pass", true, true, true, false, false)]
    [InlineData("", false, false, false, false, false)]            // no expect line: the same as pass
    [InlineData("expect pass", false, false, false, true, true)]   // a shard that explored nothing: merge decides
    [InlineData("expect violation lost-write", false, false, false, true, true)]
    [InlineData("expect violation lost-write", true, true, false, false, false)] // the listed violation not found
    public void NothingFound(string expect, bool complete, bool sampled, bool cancelled, bool part, bool established) =>
        Assert.Equal(established, Expectation.IsEstablished(Expect(expect), [], complete, sampled, cancelled, part));

    [Theory]
    [InlineData(false, false, false, false, true)] // a violation found is found, complete or not
    [InlineData(false, true, true, false, false)]  // but what was not explored may hold an unlisted one
    [InlineData(false, true, false, true, true)]   // a shard that found the listed one
    public void TheListedViolationFound(bool complete, bool sampled, bool cancelled, bool part, bool established) =>
        Assert.Equal(established, Expectation.IsEstablished(Expect("expect violation lost-write"),
            [InvariantId.LostWrite], complete, sampled, cancelled, part));

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a shard that found an unlisted violation fails at once: no merge can undo it
    public void AnUnlistedViolationFound(bool part) =>
        Assert.False(Expectation.IsEstablished(Expect("expect violation lost-write"),
            [InvariantId.LostWrite, InvariantId.UseAfterFree], true, true, false, part));
}

/// <summary>What <see cref="Explorer.Check"/> reports when the run is cut short or explores nothing.</summary>
public class EstablishedRunTests
{
    private static Checker.Model.CompiledOrdering Mremap66 => Checker.Model.CompiledOrdering.Compile(CatalogFiles.Parse("mremap-6.6"));

    private sealed class CancelWhenSampling(CancellationTokenSource cts) : IExplorationProgress
    {
        public void Searched(long states) { }
        public void Sampled(long schedules) => cts.Cancel();
    }

    [Fact]
    public void CtrlCDuringTheSearchIsCancelledNotABudgetCut()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var r = Explorer.Check(Mremap66, "m.order", new ExplorationOptions { Strategy = StrategyKind.Auto, Schedules = 0 }, cts.Token);
        Assert.True(r.Cancelled);
        Assert.False(r.Complete);
        Assert.False(r.Met);
    }

    [Fact]
    public void CtrlCDuringSamplingKeepsTheFinishedSearch()
    {
        using var cts = new CancellationTokenSource();
        var whole = Explorer.Check(Mremap66, "m.order", new ExplorationOptions { Strategy = StrategyKind.Exhaustive });
        var r = Explorer.Check(Mremap66, "m.order", new ExplorationOptions { Strategy = StrategyKind.Auto, Schedules = 1_000_000 }, cts.Token,
            new CancelWhenSampling(cts));
        Assert.True(r.Cancelled);
        Assert.True(r.Complete); // the search had finished: its count stands
        Assert.Equal(whole.States, r.States);
        Assert.False(r.Met);
    }

    [Theory]
    [InlineData(StrategyKind.Pct)]
    [InlineData(StrategyKind.Random)]
    public void NoSchedulesProveNoPass(StrategyKind strategy)
    {
        var r = Explorer.Check(Mremap66, "m.order", new ExplorationOptions { Strategy = strategy, Schedules = 0 });
        Assert.False(r.Met);
        Assert.False(r.Cancelled);
        Assert.Equal("UNPROVED", Checker.Cli.CheckCommand.Verdict(r));
    }

    [Fact]
    public void AutoWithNoSchedulesRestsOnItsSearch()
    {
        var cut = Explorer.Check(Mremap66, "m.order", new ExplorationOptions { Strategy = StrategyKind.Auto, Schedules = 0, StateLimit = 20 });
        Assert.False(cut.Met);
        Assert.Equal("UNPROVED", Checker.Cli.CheckCommand.Verdict(cut));
        var whole = Explorer.Check(Mremap66, "m.order", new ExplorationOptions { Strategy = StrategyKind.Auto, Schedules = 0 });
        Assert.True(whole.Met);
    }
}
