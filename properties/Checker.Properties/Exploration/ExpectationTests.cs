using Checker.Exploration;
using Checker.Invariants;
using Checker.Language;
using Checker.Properties.Support;
using Xunit;
using Checker.Vocabulary;

namespace Checker.Properties.Exploration;

/// <summary>The verdict on a run against its <c>expect</c> (DESIGN §3.5): it establishes the expectation never
/// when cancelled; "no violation" only from a complete search or from sampled schedules; one shard only that its
/// part has nothing unexpected.</summary>
public class ExpectationTests
{
    private static HeaderLine.Expect? Expect(string line) =>
        Models.Parse($"{line}\nthread t\n  mmap_read_lock\n  mmap_read_unlock\n").Expect;

    [Theory]
    //          expect         complete search, sampled, cancelled, part → verdict, word
    [InlineData("expect pass", true, false, false, false, VerdictKind.Met, "met")]         // exhaustive, complete
    [InlineData("expect pass", false, false, false, false, VerdictKind.Unproved, "UNPROVED")] // exhaustive stopped at its
                                                                   // state budget, or pct / random / auto with --schedules 0
    [InlineData("expect pass", false, true, false, false, VerdictKind.Met, "met")]         // auto: the pct phase after the cut search
    [InlineData("expect pass", false, true, true, false, VerdictKind.Cancelled, "CANCELLED")] // Ctrl-C
    [InlineData("expect pass", true, true, true, false, VerdictKind.Cancelled, "CANCELLED")]
    [InlineData("", false, false, false, false, VerdictKind.Unproved, "UNPROVED")]         // no expect line: the same as pass
    [InlineData("", true, false, false, false, VerdictKind.Met, "pass")]
    [InlineData("expect pass", false, false, false, true, VerdictKind.Partial, "partial")] // a shard that explored nothing: merge decides
    [InlineData("expect violation lost-write", false, false, false, true, VerdictKind.Partial, "partial")]
    [InlineData("expect violation lost-write", true, true, false, false, VerdictKind.Unmet, "UNMET")] // the listed violation not found
    [InlineData("expect violation lost-write", true, true, true, false, VerdictKind.Cancelled, "CANCELLED")]
    public void NothingFound(string expect, bool complete, bool sampled, bool cancelled, bool part, VerdictKind kind, string word)
    {
        var v = Verdict.Of(Expect(expect), [], complete, sampled, cancelled, part);
        Assert.Equal(kind, v.Kind);
        Assert.Equal(word, v.Word);
        Assert.Equal(kind is VerdictKind.Met or VerdictKind.Partial, v.Established);
        // "expected a violation, but no schedule violated anything": only when a finished, whole run found nothing
        Assert.Equal(expect.StartsWith("expect violation", StringComparison.Ordinal) && kind == VerdictKind.Unmet, v.Missed);
    }

    [Theory]
    [InlineData(false, false, false, false, VerdictKind.Met)]      // a violation found is found, complete or not
    [InlineData(false, true, true, false, VerdictKind.Cancelled)]  // but what was not explored may hold an unlisted one
    [InlineData(false, true, false, true, VerdictKind.Partial)]    // a shard that found the listed one
    public void TheListedViolationFound(bool complete, bool sampled, bool cancelled, bool part, VerdictKind kind) =>
        Assert.Equal(kind, Verdict.Of(Expect("expect violation lost-write"), [InvariantId.LostWrite], complete, sampled, cancelled, part).Kind);

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a shard that found an unlisted violation fails at once: no merge can undo it
    public void AnUnlistedViolationFound(bool part)
    {
        var v = Verdict.Of(Expect("expect violation lost-write"), [InvariantId.LostWrite, InvariantId.UseAfterFree], true, true, false, part);
        Assert.Equal(VerdictKind.Unmet, v.Kind);
        Assert.False(v.Missed);
    }

    [Fact]
    public void AViolationWithoutAnExpectLineIsViolated() =>
        Assert.Equal("VIOLATED", Verdict.Of(Expect(""), [InvariantId.LostWrite], true, true, false, false).Word);

    [Fact]
    public void ACounterexampleIsExpectedWhenTheExpectationListsIt()
    {
        Assert.True(Expectation.Lists(Expect("expect violation lost-write use-after-free"), InvariantId.UseAfterFree));
        Assert.False(Expectation.Lists(Expect("expect violation lost-write"), InvariantId.UseAfterFree));
        Assert.False(Expectation.Lists(Expect("expect pass"), InvariantId.UseAfterFree));
        Assert.False(Expectation.Lists(Expect(""), InvariantId.UseAfterFree));
    }

    [Fact]
    public void TheTallyCountsCancelledApartFromUnmet()
    {
        var tally = new VerdictTally(4, 1, 2, 1, Part: false);
        Assert.Equal("4 orderings: 1 met, 2 unmet, 1 cancelled", tally.ToString());
        Assert.Equal("1 ordering: 1 partial, 0 unmet", new VerdictTally(1, 1, 0, 0, Part: true).ToString());
    }
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
        Assert.Equal(VerdictKind.Unproved, r.Verdict.Kind);
    }

    [Fact]
    public void AutoWithNoSchedulesRestsOnItsSearch()
    {
        var cut = Explorer.Check(Mremap66, "m.order", new ExplorationOptions { Strategy = StrategyKind.Auto, Schedules = 0, StateLimit = 20 });
        Assert.False(cut.Met);
        Assert.Equal(VerdictKind.Unproved, cut.Verdict.Kind);
        var whole = Explorer.Check(Mremap66, "m.order", new ExplorationOptions { Strategy = StrategyKind.Auto, Schedules = 0 });
        Assert.True(whole.Met);
    }
}
