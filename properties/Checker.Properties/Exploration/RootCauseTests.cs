using Checker.Exploration;
using Checker.Properties.Support;
using Checker.Vocabulary;
using Xunit;

namespace Checker.Properties.Exploration;

/// <summary>The root cause under a stale-secondary-after-flush counterexample: the CPU flush the secondary
/// invalidation should have gone with, the change that made the entry stale, and — when an invalidation did reach the
/// device — the range its driver read as not covering the page.</summary>
public sealed class RootCauseTests
{
    private static RootCause? Of(string trace)
    {
        var (parsed, diagnostics) = TraceFile.Parse(File.ReadAllText(RepositoryFiles.PathOf("counterexamples/" + trace)), trace);
        Assert.True(parsed is not null, string.Join("\n", diagnostics));
        return RootCause.Of(CounterexampleReplay.Of(parsed!.Schedule));
    }

    [Fact]
    public void TheSeedsForkConversionNamesFlushTlbMmAsWhereTheInvalidationGoes()
    {
        var cause = Of("fork-6.0-only-end-no-ir.stale-secondary-after-flush.trace");
        Assert.NotNull(cause);
        Assert.Equal(("fork", 0, 0, 5, "pte_wrprotect 0 2", 8, "flush_tlb_mm", 9, -1),
            (cause!.Thread, cause.Page, cause.Device, cause.ChangeStep, cause.Change, cause.FlushStep, cause.Flush, cause.CommitStep, cause.MissedInvalidation));
        Assert.Contains("a secondary invalidation covering page 0 next to step 8", cause.ToString());
    }

    [Fact]
    public void AnInvalidationTheDriverMisreadsIsBlamedInsteadOfAMissingOne()
    {
        // 6.6: flush_tlb_mm's arch hook sends (0, ~0), which the pre-e7ad6c2a4b1a Intel arithmetic reads as nothing
        var cause = Of("fork-6.6-intel.stale-secondary-after-flush.trace");
        Assert.NotNull(cause);
        Assert.Equal(8, cause!.FlushStep);
        Assert.Equal(8, cause.MissedInvalidation);
        Assert.Equal("(0x0, ~0)", cause.MissedRange);
        Assert.Contains("the range, or the driver, is what to fix", cause.ToString());
    }

    [Fact]
    public void OtherInvariantsHaveNoRootCauseLine()
    {
        foreach (var trace in Directory.GetFiles(RepositoryFiles.PathOf("counterexamples"), "*.trace"))
        {
            var (parsed, _) = TraceFile.Parse(File.ReadAllText(trace), trace);
            var replay = CounterexampleReplay.Of(parsed!.Schedule);
            var cause = RootCause.Of(replay);
            Assert.True((cause is not null) == (replay.Violation!.Id == InvariantId.StaleSecondaryAfterFlush),
                $"{Path.GetFileName(trace)}: {replay.Violation.Name}, root cause {(cause is null ? "none" : "found")}");
        }
    }
}
