using Checker.Exploration;
using Checker.Invariants;
using Checker.Model;
using Checker.Properties.Support;
using Xunit;
using static Checker.Properties.Support.Models;
using Checker.Vocabulary;

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
        var result = RunCatalog("fork-6.0-only-end-no-ir", DeviceWritesThenFork);
        AssertViolation(result, InvariantId.StaleSecondaryAfterFlush, step: 9);
        AssertExpected("fork-6.0-only-end-no-ir", result);
        Assert.Contains("dev0 still holds a stale entry for page 0", result.Violation!.Description);
    }

    [Theory]
    [InlineData("fork-6.0")]
    [InlineData("fork-6.0-only-end-ir-at-flush")]
    [InlineData("fork-6.6")]
    public void ForkWithTheInvalidationAtAFlushPointSurvivesTheSameSchedule(string name)
    {
        var result = RunCatalog(name, DeviceWritesThenFork.Replace("fork*3", name == "fork-6.0-only-end-ir-at-flush" ? "fork*4" : "fork*3") + "dev0: write 0\ndev0: read 1");
        AssertExpected(name, result);
        Assert.True(result.AllThreadsDone);
    }

    // Two live gathers: munmap finishes while MADV_DONTNEED's gather is open, so tlb_finish_mmu sees them nest.
    private static string NestedSchedule(string first, string second) => $"""
        dev0: read 0
        {first}: mmap_read_lock
        {first}: tlb_gather_mmu
        {second}: mmap_read_lock
        {second}: tlb_gather_mmu
        {first}: invalidate_range_start 0 2
        {first}: ptl_lock
        {first}: flush_tlb_batched_pending
        {first}: zap_pte_range 0 2
        {first}: ptl_unlock
        {first}: invalidate_range_end 0 2
        {first}:

        """;

    [Fact]
    public void NestedFinishIn60SendsMinusOneMinusOne()
    {
        var result = RunCatalog("nested-finish-6.0", NestedSchedule("munmap", "dontneed"));
        AssertViolation(result, InvariantId.InvalidNotifierRange, step: 12);
        AssertExpected("nested-finish-6.0", result);
    }

    [Theory]
    [InlineData("nested-finish-4.14", "dontneed_a", "dontneed_b")]
    [InlineData("nested-finish-6.6", "munmap", "dontneed")]
    public void NestedFinishIn414And66SendsARealRange(string name, string first, string second)
    {
        var result = RunCatalog(name, NestedSchedule(first, second) + $"{first}:\n{second}*8\ndev0: read 0\ndev0: read 1");
        AssertExpected(name, result);
        Assert.True(result.AllThreadsDone);
    }

    [Fact]
    public void WithOnlyEndTheMinusOneMinusOneCallIsTheOnlyInvalidationAndPagesAreFreedUnderTheDevice()
    {
        // the seed's step 2 without step 3: AMD drops only the page at ~0, the zapped page is freed while dev0 maps it
        var result = RunCatalog("nested-finish-6.0-only-end", NestedSchedule("munmap", "dontneed").Replace("invalidate_range_end", "invalidate_range_only_end"));
        AssertViolation(result, InvariantId.StaleSecondaryAfterFlush, step: 12);
        Assert.Contains(InvariantId.InvalidNotifierRange, result.Violation!.CoViolations);
        AssertExpected("nested-finish-6.0-only-end", result);
    }

    [Fact]
    public void WithoutNestingThe60FinishSendsTheGatheredRange()
    {
        // the same file, run one thread after the other: no nesting, no (-1, -1)
        var result = RunCatalog("nested-finish-6.0", "dev0: read 0\nmunmap*10\ndontneed*10\ndev0: read 0");
        AssertNoViolation(result);
    }
}
