using Checker.Exploration;
using Checker.Properties.Support;
using Checker.Reports;
using Xunit;

namespace Checker.Properties.Repair;

/// <summary>Issue 15 item 4: the root cause of a stale-secondary-after-flush — the CPU flush the secondary
/// invalidation belongs with — is marked in the swim lanes and the step table, and <c>check</c>'s text ends with
/// <c>checker repair</c>'s suggestion.</summary>
public class RootCauseMarkTests
{
    private static Counterexample ForkCounterexample()
    {
        var program = Models.Compile(CatalogFiles.Text("fork-6.0-only-end-no-ir"));
        var schedule = Models.Schedule(program, "dev0: read 0\nfork*8");
        var run = Executor.Run(program, schedule);
        return new Counterexample(schedule, run.Violation!, "test");
    }

    [Fact]
    public void TheSwimLanesMarkTheFlushTheInvalidationBelongsWith()
    {
        var d = SwimLaneDiagram.Of(ForkCounterexample().Schedule);
        var marked = new List<int>();
        foreach (var step in d.Steps)
            foreach (var m in step.Marks)
                if (m.Kind == MarkKind.RootCause)
                {
                    marked.Add(step.Step);
                    Assert.Equal("fork", d.Lanes[m.Lane].Name);
                }
        Assert.Equal([8], marked); // flush_tlb_mm
        Assert.Equal("flush_tlb_mm", d.Steps[7].Op);
    }

    [Fact]
    public void TheStepTableMarksItAndNoOtherCounterexampleGetsTheMark()
    {
        string table = StepTable.Render(ForkCounterexample());
        Assert.Contains("  => 8  fork   flush_tlb_mm", table);
        Assert.Contains("(=> in the table marks that CPU flush)", table);

        // a counterexample of another invariant has no root-cause mark
        var program = Models.Compile(CatalogFiles.Text("shadow-dontneed-6.6-no-retry"));
        var result = Explorer.Check(program, "x", new ExplorationOptions { Strategy = StrategyKind.Exhaustive });
        foreach (var cx in result.Counterexamples.Values)
            Assert.DoesNotContain("=> ", StepTable.Render(cx));
    }

    [Fact]
    public void CheckEndsAStaleSecondaryCounterexampleWithTheRepairsSuggestion()
    {
        var (_, output, _) = CliRunner.Run("check", CatalogFiles.PathOf("fork-6.0-only-end-no-ir"), "--strategy", "exhaustive");
        Assert.Contains("  suggested repair: insert 'invalidate_range 0 ~0' in fork after 'flush_tlb_mm' (line 19) (proved within bound 4,", output);
        var (_, other, _) = CliRunner.Run("check", CatalogFiles.PathOf("shadow-dontneed-6.6-no-retry"), "--strategy", "exhaustive");
        Assert.DoesNotContain("suggested repair", other);
    }
}
