using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Checker.Exploration;
using Checker.Invariants;
using Checker.Language;
using Checker.Model;
using Checker.Text;
using Checker.Vocabulary;

namespace Checker.Reports;

/// <summary>
/// A replayed schedule (<see cref="CounterexampleReplay"/>) as a swim-lane diagram: one lane per actor —
/// each thread of the file, each CPU, each device, each shadow, the allocator — and one row per step with the
/// acting lane's op in kernel vocabulary and markers where the step left a trace in another lane: a
/// translation cached, dropped or made stale (more permissive than the PTE), an access through a stale
/// translation, a frame allocated, freed or reused, and where the violated invariant broke. <see cref="Initial"/>
/// is the state before the first step.
/// </summary>
public sealed record SwimLaneDiagram(
    CompiledOrdering Program,
    EquatableArray<SwimLane> Lanes,
    EquatableArray<SwimLaneStep> Steps,
    StateSnapshot Initial,
    Violation? Violation)
{
    /// <summary>The lane of each unit: thread lanes first (in file order), then CPUs, devices, shadows, the allocator.</summary>
    public int CpuLane(int cpu) => Program.Threads.Length + cpu;

    /// <summary>The lane of device <paramref name="device"/>.</summary>
    public int DeviceLane(int device) => Program.Threads.Length + Program.Cpus + device;

    /// <summary>The lane of shadow <paramref name="shadow"/>.</summary>
    public int ShadowLane(int shadow) => Program.Threads.Length + Program.Cpus + Program.Devices.Length + shadow;

    /// <summary>The allocator's lane, or -1.</summary>
    public int AllocatorLane => Program.Threads.Length + Program.Cpus + Program.Devices.Length + Program.Shadows.Length;

    /// <summary>The lane an actor acts in: a thread's own lane; a generated CPU, device or shadow's unit lane.</summary>
    public int LaneOf(int actor)
    {
        var a = Program.Actors[actor];
        return a.Kind switch
        {
            ActorKind.Thread => a.Thread,
            ActorKind.Cpu => CpuLane(a.Unit),
            ActorKind.Device => DeviceLane(a.Unit),
            ActorKind.Shadow => ShadowLane(a.Unit),
            ActorKind.Gup => Math.Min(AllocatorLane, Lanes.Count - 1), // §7: GUP-fast walkers act in the environment lane
            _ => AllocatorLane,
        };
    }

    /// <summary>Replays <paramref name="schedule"/> (<see cref="CounterexampleReplay"/>) and lays it out.</summary>
    public static SwimLaneDiagram Of(Schedule schedule) => Of(CounterexampleReplay.Of(schedule));

    /// <summary>Lays a replay out in lanes: the markers of each step come from the effects the machine reported
    /// during it and from the stale flags of the states before and after it.</summary>
    public static SwimLaneDiagram Of(CounterexampleReplay replay)
    {
        var program = replay.Program;
        var diagram = new SwimLaneDiagram(program, BuildLanes(program), EquatableArray<SwimLaneStep>.Empty, replay.Initial, replay.Violation);
        var rows = ImmutableArray.CreateBuilder<SwimLaneStep>();
        var before = replay.Initial;
        var cause = RootCause.Of(replay);
        foreach (var step in replay.Steps)
        {
            int lane = diagram.LaneOf(step.Op.ActorIndex);
            var marks = new List<LaneMark>();
            if (step.NotEnabled is null)
            {
                AccessMarks(step, lane, marks);
                for (int c = 0; c < program.Cpus; c++) CacheMarks(diagram.CpuLane(c), new CacheUnit(CacheKind.Tlb, c), step, before, marks);
                for (int d = 0; d < program.Devices.Length; d++) CacheMarks(diagram.DeviceLane(d), new CacheUnit(CacheKind.Iotlb, d), step, before, marks);
                for (int h = 0; h < program.Shadows.Length; h++) CacheMarks(diagram.ShadowLane(h), new CacheUnit(CacheKind.Spte, h), step, before, marks);
                FrameMarks(diagram.AllocatorLane, step, marks);
                DirtyMarks(step, lane, marks); // §8
                if (step.Violation is { } v) ViolationMarks(diagram, step, v.Id, lane, marks);
                if (cause is not null && step.Step == cause.FlushStep)
                    marks.Add(new LaneMark(lane, MarkKind.RootCause, $"secondary invalidation of p{cause.Page} belongs here"));
            }
            rows.Add(new SwimLaneStep(lane, step, marks.ToArray().ToImmutableArrayOrEmpty()));
            before = step.After;
        }
        return diagram with { Steps = rows.ToImmutable() };
    }

    private static EquatableArray<SwimLane> BuildLanes(CompiledOrdering program)
    {
        var lanes = new List<SwimLane>();
        foreach (var t in program.Threads)
        {
            lanes.Add(t.Kind switch
            {
                ThreadKind.Kernel => new SwimLane(t.Name, LaneKind.KernelThread, -1, "kernel thread"),
                ThreadKind.Cpu => new SwimLane(t.Name, LaneKind.EnvironmentThread, t.Unit, "drives cpu" + t.Unit),
                ThreadKind.Device => new SwimLane(t.Name, LaneKind.EnvironmentThread, t.Unit, "drives dev" + t.Unit),
                _ => new SwimLane(t.Name, LaneKind.EnvironmentThread, t.Unit, "drives shadow" + t.Unit),
            });
        }
        for (int c = 0; c < program.Cpus; c++) lanes.Add(new SwimLane("cpu" + c, LaneKind.Cpu, c, "CPU TLB"));
        for (int d = 0; d < program.Devices.Length; d++)
        {
            var dev = program.Devices[d];
            lanes.Add(new SwimLane("dev" + d, LaneKind.Device, d,
                "IOTLB, " + Words.Of(dev.Flavor) + (dev.KeepsEntryOnFault ? ", keeps entry" : "")));
        }
        for (int h = 0; h < program.Shadows.Length; h++)
            lanes.Add(new SwimLane("shadow" + h, LaneKind.Shadow, h, "sPTEs, " + Words.Of(program.Shadows[h])));
        lanes.Add(new SwimLane("alloc", LaneKind.Allocator, -1, program.Reuse ? "frames, reuse on" : "frames, reuse off"));
        return lanes.ToArray().ToImmutableArrayOrEmpty();
    }

    /// <summary>The access the machine reported: a stale translation used or a frame the mm does not own reached
    /// (<c>used f0w (stale, free)</c>), or a fault (<c>fault p0, PTE none</c>, <c>fault p0, keeps f0r</c>).</summary>
    private static void AccessMarks(ReplayStep step, int lane, List<LaneMark> marks)
    {
        foreach (var e in step.Effects)
        {
            switch (e)
            {
                case StepEffect.Access { UsedStale: true } a:
                    string why = a.Stale ? "stale" : "";
                    if (a.Owner != FrameOwner.Mm) why += (why.Length > 0 ? ", " : "") + (a.Owner == FrameOwner.Free ? "free" : "not mm's");
                    marks.Add(new LaneMark(lane, MarkKind.UsedStale, "used " + StateText.Frame(a.Frame, a.EntryWritable) + " (" + why + ")"));
                    break;
                // §7: a walk through a cached pointer into a freed or reused table, marked like a stale translation
                case StepEffect.Violated { Id: InvariantId.WalkAfterFree } v:
                    marks.Add(new LaneMark(lane, MarkKind.UsedStale, "walked t" + Num(v.Site.Frame) + " (freed table)"));
                    break;
                case StepEffect.WalkCached wc:
                    marks.Add(new LaneMark(lane, MarkKind.Cached, "walk >t" + Num(wc.Table)));
                    break;
                case StepEffect.GupStep g:
                    marks.Add(new LaneMark(lane, MarkKind.Cached, "g" + Num(g.Phase) + " p" + Num(g.Page)));
                    break;
                case StepEffect.Fault f:
                    marks.Add(new LaneMark(lane, MarkKind.Fault, "fault p" + Num(f.Page) + (f.KeptFrame >= 0 ? ", keeps " + StateText.Frame(f.KeptFrame, false)
                        : f.PtePresent ? ", PTE read-only" : ", PTE none")));
                    break;
            }
        }
    }

    /// <summary>§8: dirty-data markers on the acting lane: a store that set D or skipped it (through an entry that
    /// cached D = 1, on a page-cache or lazy-free frame), a writeback with I/O, a discard, a page put back.</summary>
    private static void DirtyMarks(ReplayStep step, int lane, List<LaneMark> marks)
    {
        bool setD = false;
        foreach (var e in step.Effects)
        {
            if (e is not StepEffect.Dirty d) continue;
            int page = System.Numerics.BitOperations.TrailingZeroCount(d.Pages);
            switch (d.Event)
            {
                case DirtyEvent.SetDirty: setD = true; marks.Add(new LaneMark(lane, MarkKind.Dirty, "sets D p" + Num(page))); break;
                case DirtyEvent.Writeback: marks.Add(new LaneMark(lane, MarkKind.Dirty, "writeback f" + Num(d.Frame) + " v" + Num(ContentOf(step, d.Frame)))); break;
                case DirtyEvent.Discard: marks.Add(new LaneMark(lane, MarkKind.Dirty, "discard f" + Num(d.Frame))); break;
                case DirtyEvent.Redirty: marks.Add(new LaneMark(lane, MarkKind.Dirty, "keep f" + Num(d.Frame))); break;
            }
        }
        if (setD) return;
        foreach (var e in step.Effects)
        {
            if (e is not StepEffect.Access { Write: true } a) continue;
            foreach (var f in step.After.Frames)
                if (f.Frame == a.Frame && f.Dirty is { } fd && (fd.InCache || fd.Lazyfree))
                    marks.Add(new LaneMark(lane, MarkKind.Dirty, "store skips D p" + Num(a.Page)));
        }
    }

    private static int ContentOf(ReplayStep step, int frame)
    {
        foreach (var f in step.After.Frames)
            if (f.Frame == frame && f.Dirty is { } d) return d.Content;
        return 0;
    }

    /// <summary>One cache's markers: entries dropped (and not refilled), entries cached, entries that became
    /// stale (stale after the step, and new, changed or not stale before it).</summary>
    private static void CacheMarks(int lane, CacheUnit cache, ReplayStep step, StateSnapshot before, List<LaneMark> marks)
    {
        var was = before.Cache(cache);
        var now = step.After.Cache(cache);
        ulong dropped = 0;
        var cached = new List<StepEffect.EntryCached>();
        foreach (var e in step.Effects)
        {
            if (e is StepEffect.EntriesDropped d && d.Cache == cache) dropped |= d.Pages;
            else if (e is StepEffect.EntryCached c && c.Cache == cache) cached.Add(c);
        }
        var droppedNow = new bool[now.Count];
        var stale = new bool[now.Count];
        for (int p = 0; p < now.Count; p++)
        {
            droppedNow[p] = (dropped >> p & 1) != 0 && !now[p].Valid;
            bool changed = was[p].Valid && now[p].Valid && (was[p].Frame != now[p].Frame || was[p].Writable != now[p].Writable);
            stale[p] = now[p].Stale && (!was[p].Valid || changed || !was[p].Stale);
        }
        AddList(marks, lane, MarkKind.Dropped, 'p', droppedNow);
        if (cached.Count > 0)
        {
            var sb = new StringBuilder();
            foreach (var c in cached) Append(sb, "p" + Num(c.Page) + " " + StateText.Frame(c.Frame, c.Writable));
            marks.Add(new LaneMark(lane, MarkKind.Cached, sb.ToString()));
        }
        AddList(marks, lane, MarkKind.Stale, 'p', stale);
    }

    /// <summary>The allocator's markers: frames allocated, freed and reused at the step.</summary>
    private static void FrameMarks(int lane, ReplayStep step, List<LaneMark> marks)
    {
        int frames = 0;
        foreach (var f in step.After.Frames) frames = Math.Max(frames, f.Frame + 1);
        foreach (var e in step.Effects)
            if (e is StepEffect.FrameAllocated or StepEffect.FrameFreed or StepEffect.FrameReused) frames = Math.Max(frames, FrameOf(e) + 1);
        var allocated = new bool[frames];
        var freed = new bool[frames];
        var reused = new bool[frames];
        foreach (var e in step.Effects)
        {
            switch (e)
            {
                case StepEffect.FrameAllocated a: allocated[a.Frame] = true; break;
                case StepEffect.FrameFreed f: freed[f.Frame] = true; break;
                case StepEffect.FrameReused r: reused[r.Frame] = true; break;
            }
        }
        AddList(marks, lane, MarkKind.Allocated, 'f', allocated);
        AddList(marks, lane, MarkKind.Freed, 'f', freed);
        AddList(marks, lane, MarkKind.Reused, 'f', reused);
    }

    private static int FrameOf(StepEffect e) => e switch
    {
        StepEffect.FrameAllocated a => a.Frame,
        StepEffect.FrameFreed f => f.Frame,
        StepEffect.FrameReused r => r.Frame,
        _ => -1,
    };

    /// <summary>Adds a marker listing the set items compactly: <c>p0-3 p5</c>.</summary>
    private static void AddList(List<LaneMark> marks, int lane, MarkKind kind, char prefix, bool[] set)
    {
        var sb = new StringBuilder();
        for (int k = 0; k < set.Length; k++)
        {
            if (!set[k]) continue;
            int end = k;
            while (end + 1 < set.Length && set[end + 1]) end++;
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(prefix).Append(Num(k));
            if (end > k) sb.Append('-').Append(Num(end));
            k = end;
        }
        if (sb.Length > 0) marks.Add(new LaneMark(lane, kind, sb.ToString()));
    }

    /// <summary>Marks where the invariant broke: the acting lane, and the device or actor the machine recorded.</summary>
    private static void ViolationMarks(SwimLaneDiagram diagram, ReplayStep step, InvariantId id, int lane, List<LaneMark> marks)
    {
        var site = ViolationSite.Of(-1);
        foreach (var e in step.Effects)
            if (e is StepEffect.Violated v && v.Id == id) site = v.Site;
        string name = Invariant.NameOf(id);
        marks.Add(new LaneMark(lane, MarkKind.Violation, name));
        int other = id switch
        {
            InvariantId.StaleSecondaryAfterFlush or InvariantId.SecondaryFaultLoop when site.Unit >= 0 => diagram.DeviceLane(site.Unit),
            _ when site.Actor >= 0 && site.Actor < diagram.Program.Actors.Length => diagram.LaneOf(site.Actor),
            _ => lane,
        };
        if (other == lane) return;
        string what = id switch
        {
            InvariantId.StaleSecondaryAfterFlush => "holds stale p" + Num(site.Page),
            InvariantId.SecondaryFaultLoop => "fault loop on p" + Num(site.Page),
            _ when site.Page >= 0 => name + " (p" + Num(site.Page) + ")",
            _ => name,
        };
        marks.Add(new LaneMark(other, MarkKind.Violation, what));
    }

    private static void Append(StringBuilder sb, string item)
    {
        if (sb.Length > 0) sb.Append(' ');
        sb.Append(item);
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
