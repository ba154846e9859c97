using Checker.Exploration;
using Checker.Invariants;
using Checker.Model;
using Checker.Properties.Support;
using Xunit;
using static Checker.Properties.Support.Models;

namespace Checker.Properties.Catalog;

/// <summary>
/// The fork and nested-gather catalog files under hand-written schedules that reproduce the bugs: the buggy
/// files violate what their <c>expect</c> lines name, and their fixed twins survive the same schedules.
/// (Exploration finds these on its own; here the model itself is shown right.)
/// </summary>
public class CatalogScheduleTests
{
    private static RunResult RunCatalog(string name, string steps)
    {
        var program = CompiledOrdering.Compile(CatalogFiles.Parse(name));
        return Executor.Run(program, Schedule(program, steps));
    }

    private static void AssertExpected(string name, RunResult result)
    {
        var expect = CatalogFiles.Parse(name).Expect!;
        if (expect.Pass) AssertNoViolation(result);
        else
        {
            Assert.True(result.Violation is not null, $"{name}: expected a violation of {string.Join(", ", expect.Violations)}");
            Assert.Contains(result.Violation!.Id, expect.Violations);
        }
    }

    // The device caches a writable translation before fork, then fork runs to its end.
    private const string DeviceWritesThenFork = """
        dev0: write 0
        fork: mmap_write_lock
        fork: invalidate_range_start 0 2
        fork: ptl_lock
        fork: pte_wrprotect 0 2
        fork: ptl_unlock
        fork*3

        """;

    [Fact]
    public void ForkThatForgotTheInvalidationLeavesTheDeviceWritableAfterTheFlush()
    {
        var result = RunCatalog("fork-only-end-no-ir", DeviceWritesThenFork);
        AssertViolation(result, InvariantId.StaleSecondaryAfterFlush, step: 9);
        AssertExpected("fork-only-end-no-ir", result);
        Assert.Contains("dev0 still holds a stale entry for page 0", result.Violation!.Description);
    }

    [Theory]
    [InlineData("fork-6.0")]
    [InlineData("fork-seed-only-end")]
    [InlineData("fork-6.6")]
    public void ForkWithTheInvalidationAtAFlushPointSurvivesTheSameSchedule(string name)
    {
        var result = RunCatalog(name, DeviceWritesThenFork.Replace("fork*3", name == "fork-seed-only-end" ? "fork*4" : "fork*3") + "dev0: write 0\ndev0: read 1");
        AssertExpected(name, result);
        Assert.True(result.AllThreadsDone);
    }

    // Two live gathers: munmap finishes while madvise's gather is open, so tlb_finish_mmu sees them nest.
    private const string NestedSchedule = """
        dev0: read 0
        dev0: read 2
        munmap: tlb_gather_mmu
        madvise: tlb_gather_mmu
        munmap: invalidate_range_start 0 2
        munmap: zap_pte_range 0 2
        munmap: invalidate_range_end 0 2
        munmap:

        """;

    [Fact]
    public void NestedFinishIn60SendsMinusOneMinusOne()
    {
        var result = RunCatalog("nested-finish-6.0", NestedSchedule);
        AssertViolation(result, InvariantId.InvalidNotifierRange, step: 8);
        AssertExpected("nested-finish-6.0", result);
    }

    [Theory]
    [InlineData("nested-finish-4.14")]
    [InlineData("nested-finish-6.6")]
    public void NestedFinishIn414And66SendsARealRange(string name)
    {
        var result = RunCatalog(name, NestedSchedule + "madvise*4\ndev0: read 0\ndev0: read 2\ndev0: read 3");
        AssertExpected(name, result);
        Assert.True(result.AllThreadsDone);
    }

    [Fact]
    public void WithoutNestingThe60FinishSendsTheGatheredRange()
    {
        // the same file, run one thread after the other: no nesting, no (-1, -1)
        var result = RunCatalog("nested-finish-6.0", "dev0: read 0\nmunmap*5\nmadvise*5\ndev0: read 0");
        AssertNoViolation(result);
    }
}
