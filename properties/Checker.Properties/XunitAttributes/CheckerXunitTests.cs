using Checker.Properties.Support;
using Checker.Xunit;
using Xunit;

namespace Checker.Properties.XunitAttributes;

/// <summary>Checker.Xunit's attributes and assertions, on examples/DriverTests' files and on edited copies: a met
/// expectation passes, an unmet one fails with the step table and the trace, a stale trace fails with where it
/// diverged.</summary>
public class CheckerXunitTests
{
    private static string Example(string relative) => RepositoryFiles.PathOf(Path.Combine("examples", "DriverTests", relative));

    [Fact]
    public void TheOrderingPropertyFindsEveryMatchingFileFromTheRepositoryAndShowsItRelative()
    {
        // the pattern does not match next to the test assembly, so it resolves in the nearest directory above that has it
        var rows = new List<object[]>(new OrderingPropertyAttribute("examples/DriverTests/orderings/*.order").GetData(null!));
        Assert.Equal(2, rows.Count);
        var files = rows.ConvertAll(r => (OrderingFile)r[0]);
        Assert.Equal(["examples/DriverTests/orderings/fork-only-end-no-ir.order", "examples/DriverTests/orderings/fork-only-end-with-ir.order"],
            files.ConvertAll(f => f.ToString()));
        Assert.All(files, f => Assert.True(File.Exists(f.Path)));
        Assert.Empty(new OrderingPropertyAttribute("examples/DriverTests/orderings/*.nothing").GetData(null!));
        Assert.NotEmpty(new OrderingPropertyAttribute("examples/**/*.order").GetData(null!));
    }

    [Fact]
    public void AMetExpectationPassesEitherWay()
    {
        // one expects pass and holds; the other expects the violation and the checker finds it
        foreach (var f in OrderingFile.Find("examples/DriverTests/orderings/*.order")) f.Check();
    }

    [Fact]
    public void TheDeliberatelyWrongExampleFailsWithTheStepTableAndTheTrace()
    {
        var wrong = Assert.Single(OrderingFile.Find("examples/DriverTests/wrong-expectations/*.order"));
        var e = Assert.Throws<OrderingCheckException>(wrong.Check);
        Assert.StartsWith("examples/DriverTests/wrong-expectations/fork-only-end-no-ir-claims-pass.order: UNMET — expect pass, found stale-secondary-after-flush", e.Message);
        Assert.Contains("counterexample: stale-secondary-after-flush at step 9", e.Message);
        Assert.Contains("  >> 9  fork   mmap_write_unlock", e.Message); // the violating row of the step table
        Assert.Contains("    invariant stale-secondary-after-flush\n    step 9\n", e.Message); // the trace to save
    }

    [Fact]
    public void AnExpectedViolationThatIsNoLongerFoundFailsWithTheMissedNote()
    {
        using var dir = new TempDirectory();
        string fixedFork = File.ReadAllText(Example("orderings/fork-only-end-with-ir.order"))
            .Replace("expect pass", "expect violation stale-secondary-after-flush");
        File.WriteAllText(dir.File("missed.order"), fixedFork);
        var e = Assert.Throws<OrderingCheckException>(() => OrderingChecks.AssertExpectation(dir.File("missed.order"), "missed.order"));
        Assert.StartsWith("missed.order: UNMET — expect violation stale-secondary-after-flush, found nothing", e.Message);
        Assert.Contains("but no schedule violated anything", e.Message);
    }

    [Fact]
    public void ASavedTraceReplaysAndOneWhoseOrderingWasFixedNoLongerDoes()
    {
        var trace = Assert.Single(new TraceReplayAttribute("examples/DriverTests/counterexamples/*.trace").GetData(null!));
        var saved = (CounterexampleTrace)trace[0];
        saved.Replay();

        // the same trace after the fix went into its embedded ordering: the schedule runs to its end without a violation
        using var dir = new TempDirectory();
        string text = File.ReadAllText(saved.Path).Replace("  flush_tlb_mm\n", "  flush_tlb_mm\n  invalidate_range 0 ~0\n");
        File.WriteAllText(dir.File("fixed.trace"), text);
        var e = Assert.Throws<OrderingCheckException>(() => new CounterexampleTrace(dir.File("fixed.trace"), "fixed.trace").Replay());
        Assert.StartsWith("fixed.trace: no longer reproduces:", e.Message);
    }

    [Fact]
    public void AFileThatDoesNotParseFailsWithItsDiagnostics()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.order"), "ordering bad\nkernel 6.0\n\nthread t\n  flush_tlb_rnage 0 1\n");
        var e = Assert.Throws<OrderingCheckException>(() => OrderingChecks.AssertExpectation(dir.File("bad.order"), "bad.order"));
        Assert.StartsWith("bad.order: does not parse:\nbad.order:5:3: error:", e.Message);
    }
}
