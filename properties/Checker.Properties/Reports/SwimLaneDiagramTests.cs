using Checker.Properties.Support;
using Checker.Reports;
using Xunit;
using Checker.Model;

namespace Checker.Properties.Reports;

public class SwimLaneDiagramTests
{
    private static List<LaneMark> Marks(SwimLaneDiagram d, int step, string lane)
    {
        var marks = new List<LaneMark>();
        foreach (var m in d.Steps[step - 1].Marks)
            if (d.Lanes[m.Lane].Name == lane) marks.Add(m);
        return marks;
    }

    [Fact]
    public void TheForkCounterexampleShowsTheDeviceEntryGoingStaleAndTheCommitPointThatCaughtIt()
    {
        var program = Models.Compile(CatalogFiles.Text("fork-6.0-only-end-no-ir"));
        var d = SwimLaneDiagram.Of(Models.Schedule(program, "dev0: read 0\nfork*8"));
        Assert.Equal(["fork", "dev0", "alloc"], Names(d));
        Assert.Equal(9, d.Steps.Count);
        Assert.Contains(new LaneMark(d.DeviceLane(0), MarkKind.Cached, "p0 f0w"), d.Steps[0].Marks);
        Assert.Equal([new LaneMark(d.DeviceLane(0), MarkKind.Stale, "p0")], Marks(d, 5, "dev0"));
        Assert.True(d.Steps[4].Replay.Has<StepEffect.PteChanged>());
        Assert.True(d.Steps[7].Replay.Has<StepEffect.CpuFlush>(), "flush_tlb_mm is a CPU flush");
        Assert.True(!d.Steps[6].Replay.Has<StepEffect.SecondaryInvalidation>(), "only_end does not reach the secondaries");
        Assert.True(d.Steps[8].Violating);
        Assert.Equal(Checker.Vocabulary.InvariantId.StaleSecondaryAfterFlush, d.Violation!.Id);
        Assert.Equal([new LaneMark(d.DeviceLane(0), MarkKind.Violation, "holds stale p0")], Marks(d, 9, "dev0"));
        Assert.Equal([new LaneMark(0, MarkKind.Violation, "stale-secondary-after-flush")], Marks(d, 9, "fork"));
    }

    [Fact]
    public void TheRightForkDropsTheDeviceEntryAtTheEndThatInvalidatesTheSecondaries()
    {
        var program = Models.Compile(CatalogFiles.Text("fork-6.0"));
        var d = SwimLaneDiagram.Of(Models.Schedule(program, "dev0: read 0\nfork*8"));
        Assert.Null(d.Violation);
        Assert.True(d.Steps[6].Replay.Has<StepEffect.SecondaryInvalidation>(), "invalidate_range_end calls ->invalidate_range in 6.0");
        Assert.Equal([new LaneMark(d.DeviceLane(0), MarkKind.Dropped, "p0")], Marks(d, 7, "dev0"));
    }

    [Fact]
    public void TheMremapCounterexampleShowsTheFreeAndTheUseOfTheStaleTranslation()
    {
        var program = Models.Compile(CatalogFiles.Text("mremap-4.14-pre-eb66ae030829"));
        var d = SwimLaneDiagram.Of(Models.Schedule(program, "cpu0: read 0\nmremap*5\ntruncate*9\ncpu0: read 0"));
        Assert.Equal(["mremap", "truncate", "cpu0", "alloc"], Names(d));
        Assert.Equal([new LaneMark(d.CpuLane(0), MarkKind.Stale, "p0")], Marks(d, 5, "cpu0"));
        Assert.Equal([new LaneMark(d.AllocatorLane, MarkKind.Freed, "f0-1")], Marks(d, 15, "alloc"));
        Assert.Equal(
            [new LaneMark(d.CpuLane(0), MarkKind.UsedStale, "used f0w (stale, free)"), new LaneMark(d.CpuLane(0), MarkKind.Violation, "use-after-free")],
            Marks(d, 16, "cpu0"));
        Assert.Equal(Checker.Vocabulary.InvariantId.UseAfterFree, d.Violation!.Id);
    }

    [Fact]
    public void AReadThroughAWritableEntryOfTheSameFrameIsNotAStaleUse()
    {
        // §3.6 rule 7: a read through a writable entry over a read-only PTE of the same frame is allowed
        var program = Models.Compile("pages 1\ncpus 1\nthread t\n  pte_wrprotect 0\n");
        var d = SwimLaneDiagram.Of(Models.Schedule(program, "cpu0: read 0\nt: pte_wrprotect 0\ncpu0: read 0\ncpu0: write 0"));
        Assert.Equal([new LaneMark(d.CpuLane(0), MarkKind.Stale, "p0")], Marks(d, 2, "cpu0"));
        Assert.Empty(Marks(d, 3, "cpu0"));
        Assert.Equal(
            [new LaneMark(d.CpuLane(0), MarkKind.UsedStale, "used f0w (stale)"), new LaneMark(d.CpuLane(0), MarkKind.Violation, "access-after-return")],
            Marks(d, 4, "cpu0"));
    }

    [Fact]
    public void ADeviceThatKeepsItsEntryShowsEachFaultOfTheLoop()
    {
        var program = Models.Compile(CatalogFiles.Text("fault-upgrade-arm64-6.0"));
        var d = SwimLaneDiagram.Of(Models.Schedule(program, "dev0: read 0\nwp_reuse*3\ndev0: write 0\ndev0: write 0\ndev0: write 0"));
        Assert.True(d.Steps[3].Replay.Has<StepEffect.CpuFlush>(), "arm64's ptep_set_access_flags flushes the CPU TLB");
        for (int step = 5; step <= 7; step++)
            Assert.Contains(new LaneMark(d.DeviceLane(0), MarkKind.Fault, "fault p0, keeps f0r"), Marks(d, step, "dev0"));
        Assert.Equal(Checker.Vocabulary.InvariantId.SecondaryFaultLoop, d.Violation!.Id);
    }

    [Fact]
    public void AnAccessToANonePteFaults()
    {
        var program = Models.Compile("pages 1\ncpus 1\nunmapped 0 1\nthread t\n  mmap_read_lock\n  mmap_read_unlock\n");
        var d = SwimLaneDiagram.Of(Models.Schedule(program, "cpu0: write 0"));
        Assert.Equal([new LaneMark(d.CpuLane(0), MarkKind.Fault, "fault p0, PTE none")], Marks(d, 1, "cpu0"));
    }

    private static List<string> Names(SwimLaneDiagram d)
    {
        var names = new List<string>();
        foreach (var lane in d.Lanes) names.Add(lane.Name);
        return names;
    }
}
