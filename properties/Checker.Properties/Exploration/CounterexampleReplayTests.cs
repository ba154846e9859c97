using System.Collections.Immutable;
using Checker.Exploration;
using Checker.Model;
using Checker.Properties.Support;
using Checker.Vocabulary;
using Xunit;

namespace Checker.Properties.Exploration;

/// <summary>The typed replay reports, per step, the op, the state after it and what the machine said the step
/// did — checked effect by effect on known counterexamples.</summary>
public class CounterexampleReplayTests
{
    private static CounterexampleReplay SavedCounterexample(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "counterexamples", name + ".trace");
        var (trace, diagnostics) = TraceFile.Parse(File.ReadAllText(path), path);
        Assert.True(trace is not null, string.Join("\n", diagnostics));
        return CounterexampleReplay.Of(trace!.Schedule);
    }

    private static CacheUnit Dev0 => new(CacheKind.Iotlb, 0);

    [Fact]
    public void TheShrunkForkCounterexampleReportsEachStepsEffectsAndWhenTheDeviceEntryGoesStale()
    {
        var r = SavedCounterexample("fork-6.0-only-end-no-ir.stale-secondary-after-flush");
        Assert.Equal(9, r.Steps.Count);
        var s = r.Steps;

        // 1. dev0: read 0 — a miss: the walk caches f0 writable, and the read uses it (not stale)
        Assert.Equal(new ReplayOp(1, r.Program.Actors[1], null, StepAction.Read, 0, "read 0"), s[0].Op);
        Assert.Equal("dev0: read 0", s[0].Op.ToString());
        Assert.Equal(
            [new StepEffect.EntryCached(Dev0, 0, 0, true), new StepEffect.Access(Dev0, 0, false, 0, true, false, FrameOwner.Mm)],
            s[0].Effects);
        Assert.Equal(new CacheCell(true, 0, true, false), s[0].After.Iotlbs[0][0]);

        Assert.Equal([new StepEffect.Lock("mmap_lock", true)], s[1].Effects);
        Assert.Equal(OpCode.MmapWriteLock, s[1].Op.Code);
        Assert.Equal([new StepEffect.Notifier(OpCode.InvalidateRangeStart, 0, 0x2000)], s[2].Effects);
        Assert.Equal(new MmCounters(0, 0, 1, 1, true, false), s[2].After.Mm);
        Assert.Equal([new StepEffect.Lock("ptl", true)], s[3].Effects);

        // 5. pte_wrprotect 0 2 downgrades both PTEs: dev0's writable entry for page 0 is now stale
        Assert.Equal("pte_wrprotect 0 2", s[4].Op.Text);
        Assert.Equal(
            [
                new StepEffect.PteChanged(0, PteChange.Downgrade, new PteCell(true, 0, true), new PteCell(true, 0, false)),
                new StepEffect.PteChanged(1, PteChange.Downgrade, new PteCell(true, 1, true), new PteCell(true, 1, false)),
            ],
            s[4].Effects);
        Assert.False(s[3].After.Iotlbs[0][0].Stale);
        Assert.Equal(new CacheCell(true, 0, true, true), s[4].After.Iotlbs[0][0]);
        Assert.Equal(CacheCell.None, s[4].After.Iotlbs[0][1]);

        // 7. only_end reaches no secondary; 8. flush_tlb_mm is a CPU-only full flush in 6.0
        Assert.Equal([new StepEffect.Notifier(OpCode.InvalidateRangeOnlyEnd, 0, 0x2000)], s[6].Effects);
        Assert.Equal(new MmCounters(0, 0, 0, 2, true, false), s[6].After.Mm);
        Assert.Equal([new StepEffect.CpuFlush(0b11, true)], s[7].Effects);
        Assert.True(s[7].After.Iotlbs[0][0].Stale, "nothing invalidated dev0's entry");

        // 9. the thread returns: the commit point sees dev0's stale entry for page 0
        Assert.Null(s[7].Violation);
        Assert.True(s[8].Violating);
        Assert.Equal(2, s[8].Effects.Count);
        Assert.Equal(new StepEffect.Lock("mmap_lock", false), s[8].Effects[0]);
        var violated = Assert.IsType<StepEffect.Violated>(s[8].Effects[1]);
        Assert.Equal((InvariantId.StaleSecondaryAfterFlush, 0, 0, 0), (violated.Id, violated.Site.Unit, violated.Site.Page, violated.Site.Frame));
        Assert.Equal(InvariantId.StaleSecondaryAfterFlush, r.Violation!.Id);
        Assert.Equal(8, r.Violation.Step);
        Assert.Equal(r.Violation.Snapshot, s[8].After);
        Assert.Equal([new FrameCell(0, FrameOwner.Mm, 1, false), new FrameCell(1, FrameOwner.Mm, 1, false)], r.Final.Frames);
    }

    [Fact]
    public void TheRightForkReportsTheSecondaryInvalidationWithTheRangeAndThePagesEachDeviceDropped()
    {
        var program = Models.Compile(CatalogFiles.Text("fork-6.0"));
        var r = CounterexampleReplay.Of(Models.Schedule(program, "dev0: read 0\nfork*8"));
        Assert.Null(r.Violation);
        var end = r.Steps[6];
        Assert.Equal(OpCode.InvalidateRangeEnd, end.Op.Code);
        Assert.Equal(
            [
                new StepEffect.SecondaryInvalidation(0, 0x2000, ImmutableArray.Create(1UL)),
                new StepEffect.EntriesDropped(Dev0, 1),
                new StepEffect.Notifier(OpCode.InvalidateRangeEnd, 0, 0x2000),
            ],
            end.Effects);
        Assert.Equal(CacheCell.None, end.After.Iotlbs[0][0]);
        foreach (var step in r.Steps)
            foreach (var cell in step.After.Iotlbs[0])
                Assert.False(cell.Stale && step.Step >= 7, "no stale entry is left after the end");
    }

    [Fact]
    public void TheMremapCounterexampleReportsTheFreedFramesAndTheStaleUseOfAFreeFrame()
    {
        var program = Models.Compile(CatalogFiles.Text("mremap-4.14-pre-eb66ae030829"));
        var r = CounterexampleReplay.Of(Models.Schedule(program, "cpu0: read 0\nmremap*5\ntruncate*9\ncpu0: read 0"));
        var cpu0 = new CacheUnit(CacheKind.Tlb, 0);
        Assert.Contains(new StepEffect.PteChanged(0, PteChange.Clear, new PteCell(true, 0, true), new PteCell(false, -1, false)), r.Steps[4].Effects);
        Assert.Contains(new StepEffect.PteChanged(2, PteChange.Fill, new PteCell(false, -1, false), new PteCell(true, 0, true)), r.Steps[4].Effects);
        Assert.True(r.Steps[4].After.Tlbs[0][0].Stale);
        Assert.Equal([new StepEffect.FrameFreed(0), new StepEffect.FrameFreed(1)], Frames(r.Steps[14]));
        Assert.Equal([new FrameCell(0, FrameOwner.Free, 0, false), new FrameCell(1, FrameOwner.Free, 0, false)], r.Steps[14].After.Frames);
        var last = r.Steps[15];
        var access = Assert.IsType<StepEffect.Access>(last.Effects[0]);
        Assert.Equal(new StepEffect.Access(cpu0, 0, false, 0, true, true, FrameOwner.Free), access);
        Assert.True(access.UsedStale);
        Assert.Equal(InvariantId.UseAfterFree, last.Violation!.Id);
    }

    [Fact]
    public void ADeviceThatKeepsItsEntryReportsEachFaultWithTheEntryItKept()
    {
        var program = Models.Compile(CatalogFiles.Text("fault-upgrade-arm64-6.0"));
        var r = CounterexampleReplay.Of(Models.Schedule(program, "dev0: read 0\nwp_reuse*3\ndev0: write 0\ndev0: write 0\ndev0: write 0"));
        Assert.Contains(r.Steps[3].Effects, e => e is StepEffect.CpuFlush);
        for (int k = 4; k < 7; k++)
            Assert.Equal(new StepEffect.Fault(Dev0, 0, true, true, 0), r.Steps[k].Effects[0]);
        Assert.Equal(InvariantId.SecondaryFaultLoop, r.Violation!.Id);
    }

    [Fact]
    public void AStepThatCannotBeTakenEndsTheReplaySayingWhy()
    {
        var program = Models.Compile(CatalogFiles.Text("fork-6.0"));
        var r = CounterexampleReplay.Of(Models.Schedule(program, "fork*9\ndev0: read 0"));
        Assert.Equal(9, r.Steps.Count);
        var last = r.Steps[8];
        Assert.Equal("(returned)", last.Op.Text);
        Assert.Null(last.Op.Code);
        Assert.Equal("fork has already returned", last.NotEnabled);
        Assert.Empty(last.Effects);
        Assert.Equal(r.Steps[7].After, last.After);
        Assert.Null(r.Violation);
    }

    private static List<StepEffect> Frames(ReplayStep step)
    {
        var frames = new List<StepEffect>();
        foreach (var e in step.Effects)
            if (e is StepEffect.FrameAllocated or StepEffect.FrameFreed or StepEffect.FrameReused) frames.Add(e);
        return frames;
    }
}
