using Checker.Cli;
using Checker.Exploration;
using Checker.Model;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Catalog;

/// <summary>The README's catalog section is what a run of the catalog gives, and every buggy ordering's fixed twin
/// differs from it only in the lines the fix changed.</summary>
public class CatalogReadmeTests
{
    private static readonly Lazy<List<OrderingResult>> Run = new(() =>
    {
        var programs = OrderingFiles.Load([RepositoryFiles.PathOf("catalog")], TextWriter.Null)!;
        var relative = new List<(string, CompiledOrdering)>();
        foreach (var (file, program) in programs) relative.Add((Path.GetRelativePath(RepositoryFiles.Root, file).Replace('\\', '/'), program));
        return CheckCommand.Explore(relative, new ExplorationOptions { Jobs = Environment.ProcessorCount }, CancellationToken.None);
    });

    private static List<CatalogReadme.Pair> Pairs => CatalogReadme.ReadPairs(RepositoryFiles.PathOf("catalog/PAIRS"), TextWriter.Null)!;

    [Fact]
    public void TheReadmeCatalogSectionMatchesARunOfTheCatalog()
    {
        string readme = File.ReadAllText(RepositoryFiles.PathOf("README.md"));
        int b = readme.IndexOf(CatalogReadme.Begin, StringComparison.Ordinal);
        int e = readme.IndexOf(CatalogReadme.End, StringComparison.Ordinal);
        Assert.True(b >= 0 && e > b, "README.md has no catalog section");
        string committed = readme[b..(e + CatalogReadme.End.Length)];
        string fresh = CatalogReadme.Section(Run.Value, Pairs);
        Assert.True(committed == fresh,
            "README.md's catalog section does not match a run of the catalog: run 'dotnet run --project src/Checker.Cli -c Release -- catalog-readme catalog'");
    }

    public static TheoryData<string, string> PairData()
    {
        var data = new TheoryData<string, string>();
        foreach (var p in CatalogReadme.ReadPairs(RepositoryFiles.PathOf("catalog/PAIRS"), TextWriter.Null)!) data.Add(p.Buggy, p.Fixed);
        return data;
    }

    [Theory]
    [MemberData(nameof(PairData))]
    public void TheFixedTwinDiffersOnlyInTheFixAndChangesTheVerdict(string buggy, string fixedTwin)
    {
        var bug = CatalogFiles.Parse(buggy);
        var fix = CatalogFiles.Parse(fixedTwin);
        Assert.True(bug.Expect is { Pass: false }, $"{buggy} is listed as buggy but expects {bug.ExpectText}");
        Assert.NotEqual(bug.ExpectText, fix.ExpectText);
        int changed = CatalogReadme.ChangedLines(bug, fix);
        Assert.InRange(changed, 1, 4);
    }
}
