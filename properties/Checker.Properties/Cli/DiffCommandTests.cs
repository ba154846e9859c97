using Checker.Exploration;
using Checker.Invariants;
using Checker.Model;
using Checker.Properties.Support;
using Xunit;
using Checker.Vocabulary;

namespace Checker.Properties.Cli;

public class DiffCommandTests
{
    private static readonly string Today = CatalogFiles.PathOf("fork-6.0");
    private static readonly string Patch = CatalogFiles.PathOf("fork-6.0-only-end-no-ir");

    private static string TraceIn(string output)
    {
        int start = output.IndexOf("# checker counterexample", StringComparison.Ordinal);
        int end = output.IndexOf("--- end\n", start, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "the diff printed no trace:\n" + output);
        return output[start..(end + 8)];
    }

    [Fact]
    public void TheForkDiffPrintsADistinguishingScheduleThatReplaysAndTheCostsOfBoth()
    {
        var (exit, output, error) = CliRunner.Run("diff", Today, Patch, "--schedules", "20000");
        Assert.True(exit == 2, error);
        Assert.Contains("distinguishing schedule: violates stale-secondary-after-flush on B at step 9; on A the same schedule runs to its end", output);
        Assert.Matches(@"stale-secondary-after-flush\s+-\s+violated", output);

        // the trace replays on B, and the same schedule, mapped onto A, runs to the end without violating anything
        var (trace, diagnostics) = TraceFile.Parse(TraceIn(output), "diff.trace");
        Assert.True(trace is not null, string.Join("\n", diagnostics));
        var replay = TraceFile.Replay(trace!);
        Assert.True(replay.Reproduced, replay.Message);
        Assert.Equal(InvariantId.StaleSecondaryAfterFlush, trace!.Invariant);
        var today = CompiledOrdering.Compile(CatalogFiles.Parse("fork-6.0"));
        var onToday = Distinguisher.Transfer(trace.Schedule, today, out string? why);
        Assert.True(onToday is not null, why);
        var run = Executor.Run(today, onToday!);
        Assert.Null(run.Violation);
        Assert.False(run.Diverged);
        Assert.True(run.AllThreadsDone);

        // the cost counters of both, side by side
        var a = CostProfile.Of(today);
        var b = CostProfile.Of(trace.Program);
        Assert.Matches($@"secondary invalidation calls\s+{a.SecondaryInvalidations}\s+{b.SecondaryInvalidations}\n", output);
        Assert.Matches($@"pages dropped\s+{a.PagesDropped}\s+{b.PagesDropped}\n", output);
        Assert.Matches($@"full flushes\s+{a.FullFlushes}\s+{b.FullFlushes}\n", output);
        Assert.Matches($@"redundant invalidations\s+{a.RedundantInvalidations}\s+{b.RedundantInvalidations}\n", output);
        Assert.NotEqual(a.SecondaryInvalidations, b.SecondaryInvalidations); // the patch saves an invalidation, and is wrong
    }

    [Fact]
    public void TheDistinguishingScheduleIsFoundOnEitherSide()
    {
        var (exit, output, _) = CliRunner.Run("diff", Patch, Today, "--strategy", "exhaustive");
        Assert.Equal(2, exit);
        Assert.Contains("violates stale-secondary-after-flush on A at step 9; on B the same schedule runs to its end", output);
    }

    [Fact]
    public void AnOrderingDiffedWithItselfHasNoDistinguishingSchedule()
    {
        var (exit, output, _) = CliRunner.Run("diff", Patch, Patch, "--strategy", "exhaustive");
        Assert.Equal(0, exit);
        Assert.Contains("no distinguishing schedule among the minimal counterexamples", output);
        Assert.Contains("A's stale-secondary-after-flush counterexample violates it on B too (step 9)", output);
    }

    [Fact]
    public void AnAddedInvalidateRangeIsFoundAsTheDifference()
    {
        var a = Models.Compile("kernel 6.0\npages 1\ncpus 0\nsecondary sva exact\nthread t\n  ptl_lock\n  pte_wrprotect 0\n  flush_tlb_page 0\n  ptl_unlock\n");
        var b = Models.Compile("kernel 6.0\npages 1\ncpus 0\nsecondary sva exact\nthread t\n  ptl_lock\n  pte_wrprotect 0\n  flush_tlb_page 0\n  invalidate_range 0\n  ptl_unlock\n");
        var options = new ExplorationOptions { Strategy = StrategyKind.Exhaustive };
        var notes = new List<string>();
        var d = Distinguisher.Find(Explorer.Check(a, "a.order", options), Explorer.Check(b, "b.order", options), notes);
        Assert.NotNull(d);
        Assert.True(d!.OnA);
        Assert.True(d.Clean, "b invalidates the device before the commit point, so the schedule violates nothing there");
        Assert.Equal(InvariantId.StaleSecondaryAfterFlush, d.Invariant);
        Assert.Empty(notes);
    }

    [Fact]
    public void AScheduleThatViolatesNothingOnTheOtherSideIsPreferred()
    {
        // B sends (~0, ~0) at its start: A's stale-secondary counterexample breaks invalid-notifier-range there
        // instead; B's own counterexample runs clean on A, so that one is the distinguishing schedule
        var a = CompiledOrdering.Compile(CatalogFiles.Parse("fork-6.0-only-end-no-ir"));
        var b = Models.Compile(CatalogFiles.Text("fork-6.0-only-end-no-ir").Replace("invalidate_range_start 0 2", "invalidate_range_start ~0 ~0")
            .Replace("invalidate_range_only_end 0 2", "invalidate_range_only_end ~0 ~0").Replace("expect violation stale-secondary-after-flush", ""));
        var options = new ExplorationOptions { Strategy = StrategyKind.Exhaustive };
        var notes = new List<string>();
        var d = Distinguisher.Find(Explorer.Check(a, "a.order", options), Explorer.Check(b, "b.order", options), notes);
        Assert.NotNull(d);
        Assert.False(d!.OnA);
        Assert.Equal(InvariantId.InvalidNotifierRange, d.Invariant);
        Assert.True(d.Clean);
        Assert.Equal(["A's stale-secondary-after-flush counterexample violates invalid-notifier-range on B instead"], notes);
    }

    [Theory]
    [InlineData(new[] { "diff" }, "expected two .order files, found 0")]
    [InlineData(new[] { "diff", "a.order" }, "expected two .order files, found 1")]
    [InlineData(new[] { "diff", "/nonexistent/a.order", "/nonexistent/b.order" }, "/nonexistent/a.order:1:1: error: no such file")]
    [InlineData(new[] { "diff", "a", "b", "--shard", "0/2" }, "unknown option '--shard'")]
    public void BadUsageExitsWithOne(string[] args, string message)
    {
        var (exit, output, error) = CliRunner.Run(args);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains(message, error);
    }

    [Fact]
    public void TheDistinguishingTraceCanBeSaved()
    {
        using var dir = new TempDirectory();
        string path = dir.File("fork.distinguishing.trace");
        var (exit, output, _) = CliRunner.Run("diff", Today, Patch, "--strategy", "exhaustive", "--save-trace", path);
        Assert.Equal(2, exit);
        Assert.Contains("saved " + path, output);
        Assert.Equal(0, CliRunner.Run("replay", path).Exit);
        Assert.Equal(TraceIn(output), File.ReadAllText(path));
    }

    [Fact]
    public void ASavedTraceIsNotOverwrittenUnlessAsked()
    {
        using var dir = new TempDirectory();
        string path = dir.File("precious.trace");
        File.WriteAllText(path, "kept\n");
        var refused = CliRunner.Run("diff", Today, Patch, "--strategy", "exhaustive", "--save-trace", path);
        Assert.Equal(2, refused.Exit); // the orderings still differ: the result stands
        Assert.Contains(path + ": warning: not overwritten — a counterexample is already saved there; pass --overwrite to replace it", refused.Err);
        Assert.DoesNotContain("saved " + path, refused.Out);
        Assert.Equal("kept\n", File.ReadAllText(path));

        var replaced = CliRunner.Run("diff", Today, Patch, "--strategy", "exhaustive", "--save-trace", path, "--overwrite");
        Assert.Contains("saved " + path, replaced.Out);
        Assert.Equal(TraceIn(replaced.Out), File.ReadAllText(path));
    }

    [Fact]
    public void TwoCutSearchesAreNotCalledAlike()
    {
        string a = CatalogFiles.PathOf("mremap-6.6"), b = CatalogFiles.PathOf("mremap-6.0-ir-at-flush");
        var cut = CliRunner.Run("diff", a, b, "--strategy", "exhaustive", "--states", "5");
        Assert.Equal(2, cut.Exit);
        Assert.Contains("not established: the two explorations found the same, but an exhaustive search stopped at its state budget", cut.Out);
        var whole = CliRunner.Run("diff", a, b, "--strategy", "exhaustive");
        Assert.Equal(0, whole.Exit);
        Assert.DoesNotContain("not established", whole.Out);
    }
}
