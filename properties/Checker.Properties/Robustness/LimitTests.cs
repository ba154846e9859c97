using System.Text;
using Checker.Cli;
using Checker.Language;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Robustness;

/// <summary>Every limit is a diagnostic or a usage error, never a crash or a memory blow-up.</summary>
public class LimitTests
{
    private static Diagnostic Single(string text)
    {
        var result = OrderingParser.Parse(text, "big.order");
        Assert.Null(result.Ordering);
        return Assert.Single(result.Diagnostics);
    }

    [Fact]
    public void MoreThan64PagesIsRefused() => Assert.Equal(
        "big.order:1:7: error: pages must be a number from 1 to 64, found '65' — the model maps at most 64 user pages (one bit each in a 64-bit mask)",
        Single("pages 65\nthread t\n  flush_tlb_mm\n").ToString());

    [Fact]
    public void MoreThan16ThreadsIsRefusedOnce()
    {
        var text = new StringBuilder();
        for (int t = 0; t < 3000; t++) text.Append($"thread t{t}\n  flush_tlb_mm\n");
        Assert.Equal("big.order:33:1: error: more than 16 threads — the model runs at most 16 threads; keep the threads that take part in the race",
            Single(text.ToString()).ToString());
    }

    [Fact]
    public void MoreThan256OpsInAThreadIsRefusedOnce()
    {
        var text = new StringBuilder("thread t\n");
        for (int k = 0; k < 1000; k++) text.Append("  flush_tlb_mm\n");
        Assert.Equal("big.order:258:3: error: thread 't' has more than 256 ops — split the path into several threads or orderings; each op is one atomic step of the model",
            Single(text.ToString()).ToString());
    }

    [Fact]
    public void MoreThanEightSecondariesIsRefused()
    {
        var text = new StringBuilder();
        for (int d = 0; d < 9; d++) text.Append("secondary sva exact\n");
        text.Append("thread t\n  flush_tlb_mm\n");
        Assert.StartsWith("big.order:9:1: error: more than 8 secondary lines", Single(text.ToString()).ToString());
    }

    [Fact]
    public void MoreThan32LockNamesIsRefused()
    {
        var text = new StringBuilder("thread t\n");
        for (int l = 0; l < 33; l++) text.Append($"  lock l{l}\n  unlock l{l}\n");
        Assert.StartsWith("big.order:66:3: error: more than 32 lock names", Single(text.ToString()).ToString());
    }

    [Fact]
    public void AFileOverOneMebibyteIsRefusedWithOneDiagnostic() =>
        Assert.StartsWith("big.order:1:1: error: the file has 2097152 characters; the limit is 1048576 (1 MiB)",
            Single(new string('#', 2 << 20)).ToString());

    [Theory]
    [InlineData("--schedules", "2000000000", "--schedules must be a number from 0 to 1000000000")]
    [InlineData("--bound", "17", "--bound must be a number from 0 to 16")]
    [InlineData("--states", "60000000", "--states must be a number from 1 to 50000000")]
    [InlineData("--jobs", "0", "--jobs must be a number from 1 to 256")]
    public void OptionsBeyondTheirLimitsAreUsageErrors(string option, string value, string message)
    {
        var error = new StringWriter();
        Assert.Equal(1, CheckerCommand.Run(["check", CatalogFiles.PathOf("fork-6.0"), option, value], TextWriter.Null, error));
        Assert.Contains(message, error.ToString());
    }

    [Fact]
    public void AnExhaustiveSearchThatRunsOutOfStatesSaysSoAndSuggestsAWayOut()
    {
        var output = new StringWriter();
        CheckerCommand.Run(["check", CatalogFiles.PathOf("nested-finish-6.6"), "--strategy", "exhaustive", "--bound", "6", "--states", "500"], output, TextWriter.Null);
        Assert.Contains("incomplete: ", output.ToString());
        Assert.Contains("exhaustive search stopped at its state budget (500 states) before finishing bound 6", output.ToString());
        Assert.Contains("Use a smaller --bound, or --strategy pct", output.ToString());
    }
}
