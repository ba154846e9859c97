using Checker.Exploration;
using FsCheck;
using FsCheck.Fluent;

namespace Checker.Xunit;

/// <summary>
/// FsCheck properties over orderings, for <c>[Property]</c> tests (FsCheck.Xunit): the expectation holds whatever the
/// seed of a sampling strategy. A failure reports the seed (FsCheck shrinks it towards 1) and the step table.
/// <code>
/// [Property(MaxTest = 20)]
/// public Property HoldsForEverySeed() => OrderingProperties.ExpectationHoldsForEverySeed(OrderingFile.Find("orderings/x.order")[0]);
/// </code>
/// </summary>
public static class OrderingProperties
{
    /// <summary>For seeds FsCheck chooses, <paramref name="ordering"/>'s expectation is met by <paramref name="strategy"/>
    /// (random by default) with a budget of <paramref name="schedules"/> schedules.</summary>
    public static Property ExpectationHoldsForEverySeed(OrderingFile ordering, StrategyKind strategy = StrategyKind.Random, long schedules = 20_000) =>
        Prop.ForAll(Arb.From(Gen.Choose(1, int.MaxValue), Shrink), seed =>
        {
            var options = new ExplorationOptions { Strategy = strategy, Seed = (ulong)seed, Schedules = schedules };
            OrderingChecks.AssertExpectation(ordering.Path, ordering.Display, options);
        }).Label($"{ordering.Display} meets its expectation under {strategy.ToString().ToLowerInvariant()}");

    private static IEnumerable<int> Shrink(int seed)
    {
        if (seed > 1) yield return 1;
        if (seed > 2) yield return seed / 2;
    }
}
