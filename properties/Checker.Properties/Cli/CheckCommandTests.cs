using Checker.Cli;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Cli;

public class CheckCommandTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void TheJsonOfARunDoesNotDependOnJobsOrOnTheRun()
    {
        string dir = CatalogFiles.Directory;
        var one = Run("check", dir, "--json", "--seed", "7", "--schedules", "2000");
        var again = Run("check", dir, "--json", "--seed", "7", "--schedules", "2000");
        var two = Run("check", dir, "--json", "--seed", "7", "--schedules", "2000", "--jobs", "2");
        Assert.Equal(0, one.Exit);
        Assert.Equal(one.Out, again.Out);
        Assert.Equal(one.Out, two.Out);
        Assert.Contains("\"strategy\": \"auto\"", one.Out);
        Assert.Contains("\"found\": [", one.Out);
    }

    [Fact]
    public void AnUnmetExpectationExitsWithTwoAndPrintsTheCounterexample()
    {
        string path = Path.Combine(Path.GetTempPath(), $"checker-unmet-{Guid.NewGuid():N}.order");
        File.WriteAllText(path, System.Text.RegularExpressions.Regex.Replace(CatalogFiles.Text("fork-6.0-only-end-no-ir"), "(?m)^expect .*$", "expect pass"));
        try
        {
            var (exit, output, _) = Run("check", path, "--strategy", "exhaustive");
            Assert.Equal(2, exit);
            Assert.Contains("UNMET", output);
            Assert.Contains("stale-secondary-after-flush — UNEXPECTED", output);
            Assert.Contains(">> 9  fork   mmap_write_unlock", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AMissedViolationIsToldInTheSameWordsByTheTextTheLogAndTheReport()
    {
        using var dir = new TempDirectory();
        string path = dir.File("claims-lost-write.order"), html = dir.File("r.html");
        File.WriteAllText(path, System.Text.RegularExpressions.Regex.Replace(CatalogFiles.Text("mremap-6.6"), "(?m)^expect .*$", "expect violation lost-write"));
        var (exit, output, error) = Run("check", path, "--strategy", "exhaustive", "--html", html);
        Assert.Equal(2, exit);
        const string note = "expected violation lost-write, but no schedule violated anything";
        Assert.Contains($"({path}): {note} (complete: no violation within bound 4, 527 states, P(missed) ≤ 2e-12)", output);
        Assert.Contains($"[WRN] mremap, device flushed with the cpu under the ptl (6.6) {note}", error);
        Assert.Contains($"<p class=\"unmet-note\">{note}.</p>", File.ReadAllText(html));
    }

    [Theory]
    [InlineData("--strategy", "fast", "unknown strategy 'fast'")]
    [InlineData("--bound", "99", "--bound must be a number from 0 to 16, found '99'")]
    [InlineData("--shard", "3/2", "--shard must be I/N")]
    [InlineData("--frobnicate", "1", "unknown option '--frobnicate'")]
    public void BadOptionsAreUsageErrors(string option, string value, string message)
    {
        var (exit, _, error) = Run("check", CatalogFiles.Directory, option, value);
        Assert.Equal(1, exit);
        Assert.Contains(message, error);
    }

    [Fact]
    public void AnExhaustiveSearchCutByItsStateBudgetDoesNotProveAPass()
    {
        string file = CatalogFiles.PathOf("mremap-6.6"); // expect pass; 527 states at bound 4 (1,096 without symmetry)
        var cut = Run("check", file, "--strategy", "exhaustive", "--states", "100", "--no-timing");
        Assert.Equal(2, cut.Exit);
        Assert.Contains("UNPROVED", cut.Out);
        Assert.Contains("incomplete: ", cut.Out);
        Assert.Contains("1 ordering: 0 met, 1 unmet", cut.Out);

        var whole = Run("check", file, "--strategy", "exhaustive", "--no-timing");
        Assert.Equal(0, whole.Exit);
        Assert.Contains("complete: no violation within bound 4", whole.Out);
    }

    [Fact]
    public void SaveTraceIntoAFileIsAUsageErrorNotACrash()
    {
        using var dir = new TempDirectory();
        string file = dir.File("afile");
        File.WriteAllText(file, "");
        var onFile = Run("check", CatalogFiles.PathOf("fork-6.0-only-end-no-ir"), "--save-trace", file);
        Assert.Equal(1, onFile.Exit);
        Assert.Equal("", onFile.Out); // nothing ran
        Assert.Contains($"checker check: error: --save-trace needs a directory, found '{file}', which is a file — e.g. '--save-trace counterexamples' (made when missing)", onFile.Err);

        var under = Run("check", CatalogFiles.PathOf("fork-6.0-only-end-no-ir"), "--save-trace", Path.Combine(file, "sub"));
        Assert.Equal(1, under.Exit);
        Assert.Contains($", under the file '{file}' —", under.Err);
        Assert.DoesNotContain("internal error", onFile.Err + under.Err);
    }

    [Fact]
    public void ABadOrderingStopsTheRunBeforeAnythingExecutes()
    {
        string path = Path.Combine(Path.GetTempPath(), $"checker-bad-{Guid.NewGuid():N}.order");
        File.WriteAllText(path, "thread t\n  pte_clr 0\n");
        try
        {
            var (exit, output, error) = Run("check", path);
            Assert.Equal(1, exit);
            Assert.Equal("", output);
            Assert.Contains("unknown op 'pte_clr' — did you mean 'pte_clear'?", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReplayingASavedCounterexampleReproducesIt()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"checker-traces-{Guid.NewGuid():N}");
        try
        {
            var check = Run("check", CatalogFiles.PathOf("nested-finish-6.0"), "--save-trace", dir);
            Assert.Equal(0, check.Exit);
            string trace = Path.Combine(dir, "nested-finish-6.0.invalid-notifier-range.trace");
            var replay = Run("replay", trace);
            Assert.Equal(0, replay.Exit);
            Assert.Contains("ok: reproduced invalid-notifier-range at step", replay.Out);
            var again = Run("check", CatalogFiles.PathOf("nested-finish-6.0"), "--save-trace", dir);
            Assert.Contains("not overwritten", again.Err);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
