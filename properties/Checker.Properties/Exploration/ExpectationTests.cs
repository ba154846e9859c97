using Checker.Exploration;
using Checker.Invariants;
using Checker.Language;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Exploration;

/// <summary>When a run establishes its <c>expect</c> (DESIGN §3.5): never when cancelled; <c>expect pass</c>
/// under <c>exhaustive</c> only when the search finished.</summary>
public class ExpectationTests
{
    private static HeaderLine.Expect? Expect(string line) =>
        Models.Parse($"{line}\nthread t\n  mmap_read_lock\n  mmap_read_unlock\n").Expect;

    [Theory]
    [InlineData("expect pass", StrategyKind.Exhaustive, true, false, true)]
    [InlineData("expect pass", StrategyKind.Exhaustive, false, false, false)] // stopped at its state budget
    [InlineData("expect pass", StrategyKind.Auto, false, false, true)]        // auto's pass rests on its pct phase
    [InlineData("expect pass", StrategyKind.Pct, false, false, true)]
    [InlineData("expect pass", StrategyKind.Pct, false, true, false)]         // Ctrl-C
    [InlineData("expect pass", StrategyKind.Exhaustive, true, true, false)]
    [InlineData("", StrategyKind.Exhaustive, false, false, false)]            // no expect line: the same as pass
    public void NothingFound(string expect, StrategyKind strategy, bool complete, bool cancelled, bool established) =>
        Assert.Equal(established, Expectation.IsEstablished(Expect(expect), [], strategy, complete, cancelled));

    [Theory]
    [InlineData(StrategyKind.Exhaustive, false, false, true)] // a violation found is found, complete or not
    [InlineData(StrategyKind.Random, false, false, true)]
    [InlineData(StrategyKind.Random, false, true, false)]     // but what was not explored may hold an unlisted one
    public void TheListedViolationFound(StrategyKind strategy, bool complete, bool cancelled, bool established) =>
        Assert.Equal(established, Expectation.IsEstablished(Expect("expect violation lost-write"),
            [InvariantId.LostWrite], strategy, complete, cancelled));
}
