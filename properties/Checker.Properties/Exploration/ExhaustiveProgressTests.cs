using Checker.Exploration;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Exploration;

/// <summary>The exhaustive phase reports its state count while it runs, not only when it ends (issue 5's
/// progress on long runs).</summary>
public class ExhaustiveProgressTests
{
    private sealed class Recorder : IExplorationProgress
    {
        public List<long> States { get; } = [];
        public List<long> Schedules { get; } = [];
        public List<char> Order { get; } = [];

        public void Searched(long states)
        {
            States.Add(states);
            Order.Add('s');
        }

        public void Sampled(long schedules)
        {
            Schedules.Add(schedules);
            Order.Add('r');
        }
    }

    // bench/orderings/munmap-race-large.order: over half a million states at bound 4
    private const string Large = """
        ordering munmap racing dontneed, large environment
        kernel 6.6
        pages 4
        cpus 2
        secondary sva exact
        secondary sva smmu-btm
        thread munmap
          mmap_read_lock
          tlb_gather_mmu
          invalidate_range_start 0 2
          ptl_lock
          zap_pte_range 0 2
          ptl_unlock
          invalidate_range_end 0 2
          tlb_finish_mmu
          mmap_read_unlock
        thread madvise
          mmap_read_lock
          tlb_gather_mmu
          invalidate_range_start 1 4
          ptl_lock
          zap_pte_range 1 4
          ptl_unlock
          invalidate_range_end 1 4
          tlb_finish_mmu
          mmap_read_unlock
        """;

    [Fact]
    public void TheSearchReportsItsStatesAsItGoes()
    {
        var recorder = new Recorder();
        // without symmetry: reduced (pages 2-3 alike, two alike CPUs) the search completes under the limit
        var options = new ExplorationOptions { Strategy = StrategyKind.Exhaustive, Bound = 4, StateLimit = 100_000, Symmetry = false };
        var result = Explorer.Check(Models.Compile(Large), "large.order", options, progress: recorder);

        Assert.False(result.Complete);
        Assert.True(recorder.States.Count >= 4, $"only {recorder.States.Count} reports for {result.States} states");
        for (int i = 1; i < recorder.States.Count; i++) Assert.True(recorder.States[i] >= recorder.States[i - 1]);
        Assert.True(recorder.States[0] < result.States); // the first report came while the search ran
        Assert.Equal(result.States, recorder.States[^1]); // and the last one when it ended
        Assert.Empty(recorder.Schedules);
    }

    [Fact]
    public void AutoReportsTheSearchThenTheSchedules()
    {
        var recorder = new Recorder();
        var options = new ExplorationOptions { Strategy = StrategyKind.Auto, Bound = 2, Schedules = 2_000 };
        var result = Explorer.Check(Models.Compile(Large), "large.order", options, progress: recorder);

        Assert.Equal(result.States, recorder.States[^1]);
        Assert.NotEmpty(recorder.Schedules);
        Assert.Equal(recorder.States.Count, recorder.Order.LastIndexOf('s') + 1); // every search report comes first
        Assert.True(recorder.Schedules[^1] <= result.Schedules);
    }
}
