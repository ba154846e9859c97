using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Cli;

/// <summary>
/// Pins the text output of <c>check</c>, <c>diff</c> and <c>list</c> for the fork pair of the catalog
/// (fork-6.0, the 4.15–6.5 fork, and fork-6.0-only-end-no-ir, the seed's only_end conversion without the
/// invalidate_range). Outputs hold no timings (<c>--no-timing</c>; diff and list print none) and paths are made
/// relative to the test directory. Rewrite with CHECKER_UPDATE_GOLDEN=1.
/// </summary>
public class GoldenOutputTests
{
    private static readonly string[] Pair = [CatalogFiles.PathOf("fork-6.0"), CatalogFiles.PathOf("fork-6.0-only-end-no-ir")];

    [Fact]
    public void CheckPrintsTheVerdictsAndTheCounterexample()
    {
        var (exit, output, _) = CliRunner.Run(["check", .. Pair, "--no-timing", "--schedules", "20000"]);
        Assert.Equal(0, exit);
        Golden.Verify("check-fork-pair.txt", CliRunner.Relative(output));
    }

    [Fact]
    public void DiffPrintsTheInvariantsTheDistinguishingScheduleAndTheCosts()
    {
        var (exit, output, _) = CliRunner.Run(["diff", .. Pair, "--schedules", "20000"]);
        Assert.Equal(2, exit);
        Golden.Verify("diff-fork-pair.txt", CliRunner.Relative(output));
    }

    [Fact]
    public void ListPrintsTheInvariantsProfilesFlavorsAndTheCatalog()
    {
        using var dir = new TempDirectory();
        foreach (var file in Pair) File.Copy(file, dir.File(Path.GetFileName(file)));
        var (exit, output, error) = CliRunner.Run("list", dir.Path);
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Golden.Verify("list-fork-pair.txt", output.Replace(dir.Path, "catalog"));
    }

    [Fact]
    public void WithoutNoTimingTheCheckOutputHasItsTimes()
    {
        var (_, output, _) = CliRunner.Run(["check", .. Pair, "--strategy", "exhaustive"]);
        Assert.Matches(@"  time\n", output);
        Assert.Matches(@"\d\.\d\ds\n", output);
        Assert.Matches(@"2 orderings: 2 met, 0 unmet \(\d+\.\d s\)\n", output);
    }
}
