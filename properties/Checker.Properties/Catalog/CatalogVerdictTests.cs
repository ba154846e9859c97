using Checker.Exploration;
using Checker.Invariants;
using Checker.Model;
using Checker.Properties.Support;
using Xunit;
using Checker.Vocabulary;

namespace Checker.Properties.Catalog;

/// <summary>Every catalog ordering meets its <c>expect</c> line under every strategy, with the default budgets.</summary>
public class CatalogVerdictTests
{
    public static TheoryData<string, string> OrderingsAndStrategies()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in CatalogFiles.Names())
            foreach (var strategy in new[] { "auto", "random", "pct", "exhaustive" })
                data.Add(name, strategy);
        return data;
    }

    [Theory]
    [MemberData(nameof(OrderingsAndStrategies))]
    public void TheCatalogOrderingMeetsItsExpectation(string name, string strategy)
    {
        Assert.True(Checker.Cli.CheckCommand.TryStrategy(strategy, out var kind));
        var ordering = CatalogFiles.Parse(name);
        Assert.True(ordering.Expect is not null, $"{name} has no expect line");
        var result = Explorer.Check(CompiledOrdering.Compile(ordering), CatalogFiles.PathOf(name), new ExplorationOptions { Strategy = kind, Jobs = Environment.ProcessorCount });
        var found = new List<string>();
        foreach (var id in result.Found) found.Add(Invariant.NameOf(id));
        Assert.True(result.Met, $"{name} under {strategy}: expected {ordering.ExpectText}, found [{string.Join(", ", found)}]");
        if (kind == StrategyKind.Exhaustive) Assert.True(result.Complete, $"{name}: exhaustive search did not finish within its state budget");
    }
}
