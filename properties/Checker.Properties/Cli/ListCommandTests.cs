using Checker.Invariants;
using Checker.Language;
using Checker.Properties.Support;
using Xunit;
using Checker.Vocabulary;

namespace Checker.Properties.Cli;

public class ListCommandTests
{
    [Fact]
    public void ListNamesEveryInvariantWithItsKindAndEveryWordOfTheLanguage()
    {
        var (exit, output, _) = CliRunner.Run("list", CatalogFiles.Directory);
        Assert.Equal(0, exit);
        string flat = System.Text.RegularExpressions.Regex.Replace(output, @"\n +", " ");
        foreach (var inv in Invariant.All)
        {
            Assert.Contains($"\n  {inv.Name} ({inv.Kind})\n", output);
            Assert.Contains(inv.Meaning + ".", flat);
            Assert.Contains("kernel rule: " + inv.KernelRule + ".", flat);
        }
        foreach (var words in new[] { Words.Arches, Words.Flavors, Words.ShadowModes })
            foreach (var w in words) Assert.Matches($"\n  {System.Text.RegularExpressions.Regex.Escape(w)}( \\(default\\))?\n", output);
    }

    [Fact]
    public void ListPrintsEveryReleaseRuleWithItsReleasesAndCommits()
    {
        var (_, output, _) = CliRunner.Run("list", CatalogFiles.Directory);
        string flat = System.Text.RegularExpressions.Regex.Replace(output, @"\n +", " ");
        foreach (var rule in ReleaseRuleInfo.All)
        {
            Assert.Contains($"\n  {rule.Name} ({rule.Releases})", output);
            Assert.Contains(rule.Meaning + ".", flat);
            Assert.Contains("commits: " + rule.Commits + ".", flat);
        }
    }

    [Fact]
    public void ListShowsEveryCatalogEntryWithItsExpectation()
    {
        var (_, output, _) = CliRunner.Run("list", CatalogFiles.Directory);
        int count = 0;
        foreach (var name in CatalogFiles.Names())
        {
            var ordering = CatalogFiles.Parse(name);
            Assert.Matches($@"\n  {System.Text.RegularExpressions.Regex.Escape(name)}\.order +{System.Text.RegularExpressions.Regex.Escape(ordering.Kernel.ToString())} +{System.Text.RegularExpressions.Regex.Escape(ordering.ExpectText)} +{System.Text.RegularExpressions.Regex.Escape(ordering.Name)}\n", output);
            count++;
        }
        Assert.Contains($"catalog ({count} orderings in ", output);
    }

    [Fact]
    public void ListWithoutACatalogHereSaysSo()
    {
        var (exit, output, _) = CliRunner.Run("list", "/nonexistent-catalog");
        Assert.Equal(1, exit);
        Assert.Equal("", output);
    }
}
