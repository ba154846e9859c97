using System.Text.Json;
using Checker.Cli;
using Checker.Exploration;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Cli;

public class LogTests
{
    private static List<JsonElement> Clef(string path)
    {
        var events = new List<JsonElement>();
        foreach (var line in File.ReadAllLines(path))
        {
            using var doc = JsonDocument.Parse(line); // one JSON object per line
            var e = doc.RootElement.Clone();
            Assert.Equal(JsonValueKind.Object, e.ValueKind);
            Assert.True(DateTimeOffset.TryParse(e.GetProperty("@t").GetString(), out _), "@t is a timestamp: " + line);
            Assert.Contains("{", e.GetProperty("@mt").GetString()); // a template with holes, not a formatted string
            events.Add(e);
        }
        return events;
    }

    [Fact]
    public void TheLogFileIsClefWithTheSeedStrategyOrderingAndViolationAsFields()
    {
        using var dir = new TempDirectory();
        string log = dir.File("run.clef");
        string file = CatalogFiles.PathOf("fork-6.0-only-end-no-ir");
        var (exit, output, error) = CliRunner.Run("check", file, "--strategy", "exhaustive", "--seed", "42", "--log", log);
        Assert.Equal(0, exit);
        var events = Clef(log);
        Assert.NotEmpty(events);
        foreach (var e in events)
        {
            Assert.Equal(42, e.GetProperty("Seed").GetInt64());
            Assert.Equal("exhaustive", e.GetProperty("Strategy").GetString());
        }
        var violation = events.Find(e => e.TryGetProperty("Invariant", out _));
        Assert.Equal("{Ordering} violates {Invariant} at step {Step} ({Actor}; found by {FoundBy}): {Description}", violation.GetProperty("@mt").GetString());
        Assert.Equal("Debug", violation.GetProperty("@l").GetString()); // expected: in the file, not on the console
        Assert.Equal(1, violation.GetProperty("EnvironmentActions").GetInt32());
        Assert.Equal("fork with only_end and no ir (seed, done wrong)", violation.GetProperty("Ordering").GetString());
        Assert.Equal("stale-secondary-after-flush", violation.GetProperty("Invariant").GetString());
        Assert.Equal(9, violation.GetProperty("Step").GetInt32());
        Assert.Equal("fork", violation.GetProperty("Actor").GetString());
        Assert.True(violation.GetProperty("Expected").GetBoolean());
        Assert.EndsWith("fork-6.0-only-end-no-ir.order", violation.GetProperty("File").GetString());
        Assert.DoesNotContain(events, e => e.TryGetProperty("@l", out var l) && l.GetString() == "Verbose");

        // without -v stderr carries warnings only: the results on stdout end in the one summary line, and the
        // Information events (and an expected violation, Debug) are in the --log file
        Assert.DoesNotContain("[INF]", error);
        Assert.DoesNotContain("violates", error);
        Assert.DoesNotContain("[INF]", output);
        Assert.EndsWith("1 ordering: 1 met, 0 unmet", output.TrimEnd().Split('\n')[^1].Split(" (")[0]);
        Assert.Contains(events, e => e.GetProperty("@mt").GetString()!.StartsWith("Checked {Orderings} orderings", StringComparison.Ordinal));
        Assert.Equal(CliRunner.Run("check", file, "--strategy", "exhaustive", "--seed", "42", "--no-timing").Out, CliRunner.Run("check", file, "--strategy", "exhaustive", "--seed", "42", "--no-timing", "--log", dir.File("again.clef")).Out);
    }

    [Fact]
    public void VerboseAddsOneEventPerCounterexampleStep()
    {
        using var dir = new TempDirectory();
        string log = dir.File("verbose.clef");
        var (exit, _, error) = CliRunner.Run("check", CatalogFiles.PathOf("fork-6.0-only-end-no-ir"), "--strategy", "exhaustive", "-v", "--log", log);
        Assert.Equal(0, exit);
        var steps = Clef(log).FindAll(e => e.TryGetProperty("@l", out var l) && l.GetString() == "Verbose");
        Assert.Equal(9, steps.Count);
        Assert.Equal("fork", steps[8].GetProperty("Actor").GetString());
        Assert.Equal("mmap_write_unlock", steps[8].GetProperty("Op").GetString());
        Assert.Equal("f0r f1r", steps[8].GetProperty("Pte").GetString());
        Assert.Contains("[VRB] stale-secondary-after-flush step 5: fork: pte_wrprotect 0 2; PTE f0r f1r", error);
        Assert.Contains("[INF] Checked 1 orderings: 1 met, 0 unmet", error); // -v shows the Information events too
    }

    [Fact]
    public void ALogFileInAMissingDirectoryIsAUsageError()
    {
        var (exit, _, error) = CliRunner.Run("check", CatalogFiles.PathOf("fork-6.0"), "--log", "/nonexistent-dir/run.clef");
        Assert.Equal(1, exit);
        Assert.Contains("--log needs a file in an existing directory", error);
    }

    [Fact]
    public void ProgressIsQuietUnlessStderrIsATerminal()
    {
        var options = new ExplorationOptions { Schedules = 1000 };
        Assert.Null(ProgressReporter.Start(new StringWriter(), options, ["a"]));

        var screen = new StringWriter();
        using var progress = new ProgressReporter(screen, options, ["fork-6.0", "fork-6.0-only-end-no-ir"], redraw: false, columns: 200);
        var first = progress.For(0);
        first.Searched(58);   // auto: the exhaustive phase's states
        first.Sampled(512);   // then schedules sampled
        progress.Draw();
        Assert.Matches(@"^\rchecker \[0/2\] fork-6.0: 512/1,000 schedules \| 26% of the budget \| [0-9.]+[kM]? schedules/s \| 58 states \| \d+ s elapsed", screen.ToString());
        progress.Done(0);
        var second = progress.For(1);
        second.Searched(1_000_000); // live, while the search runs
        progress.Draw();
        Assert.Matches(@"\rchecker \[1/2\] fork-6.0-only-end-no-ir: exhaustive, 1,000,000 states \([0-9.]+[kM]?/s, 10% of limit\) \| 50% of the budget \| [0-9.]+[kM]? schedules/s \| \d+ s elapsed", screen.ToString());
        progress.Dispose();
        Assert.EndsWith(" \r", screen.ToString()); // the line is cleared
    }

    [Fact]
    public void ExhaustiveProgressCountsTheStateLimitAsTheBudget()
    {
        var options = new ExplorationOptions { Strategy = StrategyKind.Exhaustive, StateLimit = 4_000_000 };
        var screen = new StringWriter();
        using var progress = new ProgressReporter(screen, options, ["munmap-race-large"], redraw: false, columns: 200);
        progress.For(0).Searched(1_000_000);
        progress.Draw();
        Assert.Matches(@"munmap-race-large: exhaustive, 1,000,000 states \([0-9.]+[kM]?/s, 25% of limit\) \| 25% of the budget \| \d+ s elapsed", screen.ToString());
    }

    [Fact]
    public void ReplayLogsOneEventPerTraceAndWarnsOfADivergence()
    {
        using var dir = new TempDirectory();
        string good = Path.Combine(AppContext.BaseDirectory, "counterexamples", "fork-6.0-only-end-no-ir.stale-secondary-after-flush.trace");
        string edited = dir.File("edited.trace");
        File.WriteAllText(edited, File.ReadAllText(good).Replace("\nstep 9\n", "\nstep 8\n"));
        string log = dir.File("replay.clef");

        var (exit, output, error) = CliRunner.Run("replay", good, edited, "--log", log);
        Assert.Equal(2, exit);
        Assert.DoesNotContain("[INF]", error); // the summary is stdout's last line; its event is in the log file
        Assert.EndsWith("2 traces: 1 reproduced, 1 diverged, 0 unreadable\n", output);
        Assert.Contains("[WRN] Replayed " + edited + ": violates stale-secondary-after-flush at step 9 instead of stale-secondary-after-flush at step 8", error);

        var events = Clef(log);
        var perTrace = events.FindAll(e => e.TryGetProperty("Trace", out _));
        Assert.Equal(2, perTrace.Count);
        Assert.All(events, e => Assert.Equal("replay", e.GetProperty("Command").GetString()));
        Assert.True(perTrace[0].GetProperty("Reproduced").GetBoolean());
        Assert.Equal("Debug", perTrace[0].GetProperty("@l").GetString());
        Assert.Equal("fork with only_end and no ir (seed, done wrong)", perTrace[0].GetProperty("Ordering").GetString());
        Assert.Equal("stale-secondary-after-flush", perTrace[0].GetProperty("Invariant").GetString());
        Assert.Equal(9, perTrace[0].GetProperty("Step").GetInt32());
        Assert.False(perTrace[1].GetProperty("Reproduced").GetBoolean());
        Assert.Equal("Warning", perTrace[1].GetProperty("@l").GetString());
        Assert.Equal(8, perTrace[1].GetProperty("Step").GetInt32());
    }
}
