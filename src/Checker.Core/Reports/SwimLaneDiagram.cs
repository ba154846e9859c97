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
/// A schedule as a swim-lane diagram (reporting path only; it re-runs the schedule): one lane per actor —
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

    public int DeviceLane(int device) => Program.Threads.Length + Program.Cpus + device;

    public int ShadowLane(int shadow) => Program.Threads.Length + Program.Cpus + Program.Devices.Length + shadow;

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
            _ => AllocatorLane,
        };
    }

    /// <summary>Runs <paramref name="schedule"/> from the initial state, stopping at the first violation or at a
    /// step that cannot be taken (that row says why).</summary>
    public static SwimLaneDiagram Of(Schedule schedule)
    {
        var program = schedule.Program;
        var lanes = BuildLanes(program);
        var machine = new Machine(program);
        machine.Reset(Executor.UnlimitedBudget);
        var diagram = new SwimLaneDiagram(program, lanes, EquatableArray<SwimLaneStep>.Empty, StateSnapshot.Of(machine), null);
        var rows = ImmutableArray.CreateBuilder<SwimLaneStep>();
        Violation? violation = null;
        for (int k = 0; k < schedule.Count; k++)
        {
            var c = schedule.Steps[k];
            string text = Schedule.StepText(machine, c);
            int colon = text.IndexOf(':');
            string actorName = text[..colon], op = text[(colon + 2)..];
            int lane = diagram.LaneOf(c.Actor);
            if (!machine.CanStep(c))
            {
                rows.Add(new SwimLaneStep(k + 1, lane, actorName, op + "  (not enabled: " + machine.WhyNot(c) + ")",
                    StepEffects.None, false, EquatableArray<LaneMark>.Empty, StateSnapshot.Of(machine)));
                break;
            }
            var before = Picture.Of(machine);
            var effects = StaticEffects(machine, c);
            var marks = new List<LaneMark>();
            Access(machine, c, lane, marks);
            uint violated = machine.Step(c);
            var after = Picture.Of(machine);
            effects |= Compare(diagram, before, after, marks);
            if (violated != 0)
            {
                violation = Executor.MakeViolation(machine, violated, k);
                ViolationMarks(diagram, machine, violation.Id, lane, marks);
            }
            rows.Add(new SwimLaneStep(k + 1, lane, actorName, op, effects, violated != 0,
                marks.ToArray().ToImmutableArrayOrEmpty(), StateSnapshot.Of(machine)));
            if (violated != 0) break;
        }
        return diagram with { Steps = rows.ToImmutable(), Violation = violation };
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

    /// <summary>What the op about to run is (flush, notifier, lock, environment), from its code.</summary>
    private static StepEffects StaticEffects(Machine machine, Choice c)
    {
        var program = machine.Program;
        var a = program.Actors[c.Actor];
        if (a.Kind != ActorKind.Thread) return StepEffects.Environment;
        if (machine.ThreadDone(a.Thread)) return StepEffects.None;
        ref readonly Op op = ref program.Ops[machine.NextOpIndex(a.Thread)];
        if (!program.Threads[a.Thread].IsKernel) return StepEffects.Environment;
        if (op.Condition >= 0) return StepEffects.None; // an 'if' shows what it did, not what it might do
        return op.Code switch
        {
            OpCode.FlushTlbRange or OpCode.FlushTlbPage or OpCode.FlushTlbMm or OpCode.PtepClearFlush
                or OpCode.PtepClearFlushNotify or OpCode.TryToUnmapFlush or OpCode.TlbFlushMmu or OpCode.TlbFinishMmu => StepEffects.CpuFlush,
            OpCode.PtepSetAccessFlags when program.Arch == Arch.Arm64 => StepEffects.CpuFlush, // flush_tlb_page (§3.4)
            OpCode.InvalidateRangeStart or OpCode.InvalidateRangeEnd or OpCode.InvalidateRangeOnlyEnd => StepEffects.Notifier,
            _ when OpInfo.Of(op.Code).IsLockOp => StepEffects.Lock,
            _ => StepEffects.None,
        };
    }

    /// <summary>Marks an access about to go through a stale translation, or to a frame the mm does not own, or
    /// to fault, following the machine's access rules (§3.2, §3.6 rule 7).</summary>
    private static void Access(Machine machine, Choice c, int lane, List<LaneMark> marks)
    {
        var program = machine.Program;
        var s = machine.State;
        var a = program.Actors[c.Actor];
        ActorKind unitKind;
        int unit, page;
        bool write;
        if (a.Kind == ActorKind.Thread)
        {
            var t = program.Threads[a.Thread];
            if (t.IsKernel || machine.ThreadDone(a.Thread)) return;
            ref readonly Op op = ref program.Ops[machine.NextOpIndex(a.Thread)];
            if (op.Code is not (OpCode.Read or OpCode.Write)) return;
            unitKind = t.Kind switch { ThreadKind.Cpu => ActorKind.Cpu, ThreadKind.Device => ActorKind.Device, _ => ActorKind.Shadow };
            unit = t.Unit;
            page = op.Arg;
            write = op.Code == OpCode.Write;
        }
        else
        {
            if (c.Action is not (StepAction.Read or StepAction.Write)) return;
            if (a.Kind == ActorKind.Shadow && s.I[s.CtxPhase + a.Unit] != 0) return;
            unitKind = a.Kind;
            unit = a.Unit;
            page = c.Page;
            write = c.Action == StepAction.Write;
        }
        if (unitKind != ActorKind.Cpu && s.I[s.Attached] == 0) return;
        ulong bit = 1UL << page;
        int validAt, writableAt, frameAt;
        switch (unitKind)
        {
            case ActorKind.Cpu: (validAt, writableAt, frameAt) = (s.TlbValid + unit, s.TlbWritable + unit, s.TlbFrame + unit * s.Pages + page); break;
            case ActorKind.Device: (validAt, writableAt, frameAt) = (s.IotlbValid + unit, s.IotlbWritable + unit, s.IotlbFrame + unit * s.Pages + page); break;
            default: (validAt, writableAt, frameAt) = (s.SpteValid + unit, s.SpteWritable + unit, s.SpteFrame + unit * s.Pages + page); break;
        }
        bool valid = (s.W[validAt] & bit) != 0, writable = (s.W[writableAt] & bit) != 0;
        bool present = (s.W[s.PtePresent] & bit) != 0;
        // the entry is used when it allows the access; otherwise a CPU or device walks the PTE, which may fault,
        // and a shadow does nothing (its fault is a separate action)
        if (!valid || (write && !writable))
        {
            if (unitKind == ActorKind.Shadow) return;
            if (valid && unitKind == ActorKind.Device && machine.Program.Devices[unit].KeepsEntryOnFault)
                marks.Add(new LaneMark(lane, MarkKind.Fault, "fault p" + Num(page) + ", keeps " + Cell(s.I[frameAt], false)));
            else if (!present || (write && (s.W[s.PteWritable] & bit) == 0))
                marks.Add(new LaneMark(lane, MarkKind.Fault, "fault p" + Num(page) + (present ? ", PTE read-only" : ", PTE none")));
            return;
        }
        int frame = s.I[frameAt];
        bool allowed = present && s.I[s.PteFrame + page] == frame && (!write || (s.W[s.PteWritable] & bit) != 0);
        bool owned = s.I[s.FrameOwner + frame] == ModelState.OwnerMm;
        if (allowed && owned) return;
        string why = allowed ? "" : "stale";
        if (!owned) why += (why.Length > 0 ? ", " : "") + (s.I[s.FrameOwner + frame] == ModelState.OwnerFree ? "free" : "not mm's");
        string text = "used " + Cell(frame, writable) + " (" + why + ")";
        marks.Add(new LaneMark(lane, MarkKind.UsedStale, text));
    }

    /// <summary>Compares the state before and after a step: cache entries filled, dropped or made stale; frames
    /// allocated, freed or reused; PTE changes and secondary invalidations.</summary>
    private static StepEffects Compare(SwimLaneDiagram diagram, Picture before, Picture after, List<LaneMark> marks)
    {
        var s = before.State;
        var effects = StepEffects.None;
        if (before.W[s.PtePresent] != after.W[s.PtePresent] || before.W[s.PteWritable] != after.W[s.PteWritable])
            effects |= StepEffects.PteChange;
        for (int p = 0; p < s.Pages; p++)
            if ((after.W[s.PtePresent] >> p & 1) != 0 && before.I[s.PteFrame + p] != after.I[s.PteFrame + p]) effects |= StepEffects.PteChange;
        if (after.Costs.SecondaryInvalidations > before.Costs.SecondaryInvalidations) effects |= StepEffects.SecondaryInvalidation;

        bool cpuDropped = false;
        for (int c = 0; c < s.Cpus; c++)
            cpuDropped |= Cache(diagram.CpuLane(c), before, after, s.TlbValid + c, s.TlbWritable + c, s.TlbFrame + c * s.Pages, marks);
        for (int d = 0; d < s.Devices; d++)
            Cache(diagram.DeviceLane(d), before, after, s.IotlbValid + d, s.IotlbWritable + d, s.IotlbFrame + d * s.Pages, marks);
        for (int h = 0; h < s.Shadows; h++)
            Cache(diagram.ShadowLane(h), before, after, s.SpteValid + h, s.SpteWritable + h, s.SpteFrame + h * s.Pages, marks);
        if (cpuDropped && (effects & StepEffects.PteChange) != 0) effects |= StepEffects.CpuFlush;

        int frames = after.I[s.FrameCount];
        var allocated = new bool[frames];
        var freed = new bool[frames];
        var reused = new bool[frames];
        for (int f = 0; f < frames; f++)
        {
            int was = f < before.I[s.FrameCount] ? before.I[s.FrameOwner + f] : -1;
            int now = after.I[s.FrameOwner + f];
            if (was == now) continue;
            (now == ModelState.OwnerFree ? freed : now == ModelState.OwnerOther ? reused : allocated)[f] = true;
        }
        AddList(marks, diagram.AllocatorLane, MarkKind.Allocated, 'f', allocated);
        AddList(marks, diagram.AllocatorLane, MarkKind.Freed, 'f', freed);
        AddList(marks, diagram.AllocatorLane, MarkKind.Reused, 'f', reused);
        return effects;
    }

    /// <summary>Marks one cache's changes; true when entries were dropped.</summary>
    private static bool Cache(int lane, Picture before, Picture after, int validAt, int writableAt, int frameAt, List<LaneMark> marks)
    {
        var s = before.State;
        ulong was = before.W[validAt], now = after.W[validAt];
        var cached = new StringBuilder();
        var dropped = new bool[s.Pages];
        var stale = new bool[s.Pages];
        bool any = false;
        for (int p = 0; p < s.Pages; p++)
        {
            ulong bit = 1UL << p;
            bool inBefore = (was & bit) != 0, inAfter = (now & bit) != 0;
            bool changed = inBefore && inAfter && (before.I[frameAt + p] != after.I[frameAt + p]
                || ((before.W[writableAt] ^ after.W[writableAt]) & bit) != 0);
            if (inAfter && (!inBefore || changed))
                Append(cached, "p" + Num(p) + " " + Cell(after.I[frameAt + p], (after.W[writableAt] & bit) != 0));
            dropped[p] = inBefore && !inAfter;
            any |= dropped[p];
            stale[p] = inAfter && after.IsStale(p, frameAt, writableAt) && (!inBefore || changed || !before.IsStale(p, frameAt, writableAt));
        }
        AddList(marks, lane, MarkKind.Dropped, 'p', dropped);
        if (cached.Length > 0) marks.Add(new LaneMark(lane, MarkKind.Cached, cached.ToString()));
        AddList(marks, lane, MarkKind.Stale, 'p', stale);
        return any;
    }

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
    private static void ViolationMarks(SwimLaneDiagram diagram, Machine machine, InvariantId id, int lane, List<LaneMark> marks)
    {
        var site = machine.Site(id);
        string name = Invariant.NameOf(id);
        marks.Add(new LaneMark(lane, MarkKind.Violation, name));
        int other = id switch
        {
            InvariantId.StaleSecondaryAfterFlush or InvariantId.SecondaryFaultLoop when site.Unit >= 0 => diagram.DeviceLane(site.Unit),
            _ when site.Actor >= 0 && site.Actor < machine.Program.Actors.Length => diagram.LaneOf(site.Actor),
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

    private static string Cell(int frame, bool writable) => "f" + Num(frame) + (writable ? "w" : "r");

    /// <summary>A copy of the model state's arrays and the cost counters at one moment.</summary>
    private sealed class Picture
    {
        private Picture(ModelState state, ulong[] w, int[] i, Costs costs)
        {
            State = state;
            W = w;
            I = i;
            Costs = costs;
        }

        public ModelState State { get; }

        public ulong[] W { get; }

        public int[] I { get; }

        public Costs Costs { get; }

        public static Picture Of(Machine machine) =>
            new(machine.State, (ulong[])machine.State.W.Clone(), (int[])machine.State.I.Clone(), machine.Costs);

        public bool IsStale(int p, int frameAt, int writableAt)
        {
            var s = State;
            ulong bit = 1UL << p;
            return StaleSecondaryAfterFlush.IsStale(I[frameAt + p], (W[writableAt] & bit) != 0, (W[s.PtePresent] & bit) != 0,
                I[s.PteFrame + p], (W[s.PteWritable] & bit) != 0);
        }
    }
}
