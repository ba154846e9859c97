using System.Numerics;
using Checker.Invariants;
using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Model;

/// <summary>
/// The reference model (DESIGN §3) executing one step at a time. Every step checks the invariants it can
/// break and returns them as a bit set in <see cref="InvariantId"/> order (bit 0 = the first in the §3.5
/// table), so the first violation is the lowest bit and the others are co-violations (§3.6 rule 4).
/// The hot path — <see cref="CanStep"/>, <see cref="Step"/>, <see cref="Reset"/> — allocates nothing.
/// </summary>
internal partial class Machine
{
    private readonly CompiledOrdering program;
    private readonly ModelState s;
    private readonly ModelState initial;
    private readonly ulong[] w;
    private readonly int[] i;
    private readonly Op[] ops;
    private readonly ThreadProgram[] threads;
    private readonly Actor[] actors;
    private readonly ViolationSite[] sites = new ViolationSite[Invariant.Count];
    private readonly int pages;
    private readonly ulong allPages;
    private readonly RuleSet rules;
    private uint violations;
    private bool freedThisStep;
    private int actor;
    private Costs costs;
    private long pteChangesSinceInvalidation;
    private StepRecorder? recorder;
    private readonly bool dirty; // §8: the ordering uses dirty data (DESIGN §8.7)

    public Machine(CompiledOrdering program)
    {
        this.program = program;
        rules = program.Rules;
        s = new ModelState(program);
        initial = new ModelState(program);
        w = s.W;
        i = s.I;
        ops = program.Ops;
        threads = program.Threads;
        actors = program.Actors;
        pages = program.Pages;
        allPages = program.AllPages;
        InitTree(); // §7
        dirty = program.Dirty is not null;
    }

    public CompiledOrdering Program => program;

    /// <summary>The live state (read it for snapshots; exhaustive search copies it).</summary>
    public ModelState State => s;

    /// <summary>Generated environment actions still allowed in this run.</summary>
    public int EnvRemaining { get; set; }

    /// <summary>Steps taken since <see cref="Reset"/>.</summary>
    public int Steps { get; private set; }

    public Costs Costs => costs;

    /// <summary>Where the machine reports what each step does (reporting only: <c>CounterexampleReplay</c>);
    /// null — the default, and always during exploration — records nothing and costs one null check per event.</summary>
    public StepRecorder? Recorder
    {
        get => recorder;
        set => recorder = value;
    }

    /// <summary>The upper bound on the number of choices enabled at one step.</summary>
    public int MaxChoices => threads.Length + program.GeneratedCpuCount * 2 * pages
        + (program.ExplicitEnvironment ? 0 : program.Devices.Length * 3 * pages + program.Shadows.Length * 3 * pages + 1)
        + (tree is null ? 0 : (program.GeneratedCpuCount + program.Devices.Length) * tree.KernelPages + program.GupActorCount * (pages + 1)); // §7

    /// <summary>Where the given invariant broke in the last step (valid when its bit was returned).</summary>
    public ViolationSite Site(InvariantId id) => sites[(int)id];

    /// <summary>Back to the initial state with a fresh environment budget.</summary>
    public void Reset(int envBudget)
    {
        s.CopyFrom(initial);
        EnvRemaining = envBudget;
        Steps = 0;
        costs = default;
        pteChangesSinceInvalidation = 0;
    }

    /// <summary>Restores a state copied earlier (exhaustive search). Without <paramref name="contents"/>, frame
    /// contents are left as they are: nothing but snapshots and pte_install's copied content reads them.</summary>
    public void Restore(ModelState from, int envRemaining, int steps, bool contents = true)
    {
        s.CopyFrom(from, contents);
        EnvRemaining = envRemaining;
        Steps = steps;
    }

    public bool ThreadDone(int thread) => i[s.Pc + thread] >= threads[thread].OpCount;

    /// <summary>Every thread of the file has run to its end.</summary>
    public bool AllThreadsDone
    {
        get
        {
            for (int t = 0; t < threads.Length; t++)
                if (!ThreadDone(t)) return false;
            return true;
        }
    }

    /// <summary>The index (into <see cref="CompiledOrdering.Ops"/>) of a thread's next op.</summary>
    public int NextOpIndex(int thread) => threads[thread].FirstOp + i[s.Pc + thread];

    /// <summary>True when <paramref name="choice"/> may be taken now.</summary>
    public bool CanStep(Choice choice)
    {
        if (choice.Actor >= actors.Length) return false;
        var a = actors[choice.Actor];
        switch (a.Kind)
        {
            case ActorKind.Thread:
                return choice.Action == StepAction.Step && ThreadEnabled(a.Thread);
            case ActorKind.Cpu:
                if (tree is not null && choice.Page >= pages) return TreeKernelPrefetchOk(choice); // §7
                return EnvRemaining > 0 && choice.Page < pages && choice.Action is StepAction.Read or StepAction.Write;
            case ActorKind.Device:
                if (tree is not null && choice.Page >= pages) return i[s.Attached] != 0 && TreeKernelPrefetchOk(choice); // §7
                return EnvRemaining > 0 && choice.Page < pages && i[s.Attached] != 0
                    && choice.Action is StepAction.Read or StepAction.Write or StepAction.Prefetch;
            case ActorKind.Gup: // §7
                return GupCanStep(a.Unit, choice);
            case ActorKind.Shadow:
                if (i[s.Attached] == 0) return false;
                if (i[s.CtxPhase + a.Unit] != 0) return choice.Action == StepAction.Step;
                if (EnvRemaining <= 0 || choice.Page >= pages) return false;
                return choice.Action is StepAction.Read or StepAction.Write
                    || (choice.Action == StepAction.Fault && i[s.ActiveInvalidations] == 0);
            default:
                return choice.Action == StepAction.Reuse && EnvRemaining > 0 && i[s.FreeCount] > 0;
        }
    }

    /// <summary>True when the actor has some choice enabled now (no enumeration, no allocation).</summary>
    public bool ActorEnabled(int actorIndex)
    {
        var a = actors[actorIndex];
        switch (a.Kind)
        {
            case ActorKind.Thread: return ThreadEnabled(a.Thread);
            case ActorKind.Cpu: return EnvRemaining > 0;
            case ActorKind.Device: return EnvRemaining > 0 && i[s.Attached] != 0;
            case ActorKind.Shadow: return i[s.Attached] != 0 && (i[s.CtxPhase + a.Unit] != 0 || EnvRemaining > 0);
            case ActorKind.Gup: return i[s.GupPhase + a.Unit] != 0 || EnvRemaining > 0; // §7
            default: return EnvRemaining > 0 && i[s.FreeCount] > 0;
        }
    }

    /// <summary>True when the thread has an op left and that op can run now.</summary>
    public bool ThreadEnabled(int thread) =>
        mm2 && T.ThreadMm[thread] != s.SelectedMm ? ThreadEnabledOnItsMm(thread) : ThreadEnabledHere(thread); // §7 mm2

    /// <summary><see cref="ThreadEnabled"/> on the mm the state's view is on now.</summary>
    private bool ThreadEnabledHere(int thread)
    {
        if (ThreadDone(thread)) return false;
        ref readonly Op op = ref ops[NextOpIndex(thread)];
        if (op.Condition >= 0 && !ConditionHolds(thread, op)) return true;
        if (tree is not null && !TreeOpEnabled(thread, op)) return false; // §7.6 rule 4
        return OpEnabled(thread, op);
    }

    /// <summary>Fills <paramref name="buffer"/> (at least <see cref="MaxChoices"/> long) with every enabled
    /// choice, in a fixed order: threads, then generated actors by index, pages ascending. With
    /// <paramref name="skipInert"/>, leaves out the inert environment accesses (<see cref="InertPages"/>).</summary>
    public int EnabledChoices(Span<Choice> buffer, bool skipInert = false)
    {
        int n = 0;
        for (int a = 0; a < actors.Length; a++) n += ActorChoices(a, buffer[n..], skipInert);
        return n;
    }

    /// <summary>
    /// The pages on which a generated actor's read, write or prefetch would now change nothing but frame
    /// contents (which no invariant reads) and could not violate anything: a hit on a translation that is
    /// not stale, to a frame the mm owns; a miss whose walk faults and caches nothing; a prefetch of a cached
    /// page; a shadow access that misses its sPTE. A device counts only while its fault-loop count is zero
    /// (any action resets it). The state after such a step equals the state before it with one environment
    /// action less, which exhaustive search has already covered, so it skips them.
    /// </summary>
    public void InertPages(int actorIndex, out ulong read, out ulong write, out ulong prefetch)
    {
        if (mm2 && ActorMm(actorIndex) != s.SelectedMm) // §7 mm2: judged against the actor's mm
        {
            InertPagesOnItsMm(actorIndex, out read, out write, out prefetch);
            return;
        }
        read = write = prefetch = 0;
        var a = actors[actorIndex];
        ulong valid, writable;
        int frameBase;
        switch (a.Kind)
        {
            case ActorKind.Cpu:
                valid = w[s.TlbValid + a.Unit];
                writable = w[s.TlbWritable + a.Unit];
                frameBase = s.TlbFrame + a.Unit * pages;
                break;
            case ActorKind.Device:
                if (i[s.FaultCount + a.Unit] != 0) return;
                valid = w[s.IotlbValid + a.Unit];
                writable = w[s.IotlbWritable + a.Unit];
                frameBase = s.IotlbFrame + a.Unit * pages;
                break;
            case ActorKind.Shadow:
                valid = w[s.SpteValid + a.Unit];
                writable = w[s.SpteWritable + a.Unit];
                frameBase = s.SpteFrame + a.Unit * pages;
                break;
            default:
                return;
        }
        ulong present = w[s.PtePresent], pteWritable = w[s.PteWritable];
        // §8: a store to a tracked frame changes what writeback and reclaim see (and a D-0 entry re-walks): not inert
        ulong inertWriteHits = ulong.MaxValue;
        // hits that reach the PTE's own frame, owned by the mm
        ulong good = 0;
        for (ulong m = valid & present; m != 0; m &= m - 1)
        {
            int p = Lowest(m);
            int frame = i[frameBase + p];
            if (frame == i[s.PteFrame + p] && i[s.FrameOwner + frame] == ModelState.OwnerMm && (!mm2 || MmOwns(s.SelectedMm, frame))) good |= 1UL << p;
            if (dirty && (Tracked(frame) || (w[s.PteProtnone] >> p & 1) != 0)) inertWriteHits &= ~(1UL << p);
        }
        if (a.Kind == ActorKind.Shadow)
        {
            read = ~valid | good;
            write = ~(valid & writable) | (good & writable & pteWritable & inertWriteHits);
        }
        else if (tree is not null)
        {
            // §7: a miss walks and may cache walk entries or reach a freed table: never inert
            read = good;
            write = good & writable & pteWritable;
            prefetch = valid;
        }
        else
        {
            read = (~valid & ~present) | good;
            write = (~valid & ~(present & pteWritable)) | (good & writable & pteWritable & inertWriteHits);
            prefetch = valid | ~present;
        }
        read &= allPages;
        write &= allPages;
        prefetch &= allPages;
    }

    /// <summary>Fills <paramref name="buffer"/> with the enabled choices of one actor; returns their count.</summary>
    public int ActorChoices(int actorIndex, Span<Choice> buffer, bool skipInert = false)
    {
        var a = actors[actorIndex];
        int n = 0;
        ulong skipRead = 0, skipWrite = 0, skipPrefetch = 0;
        if (skipInert && a.IsGenerated) InertPages(actorIndex, out skipRead, out skipWrite, out skipPrefetch);
        switch (a.Kind)
        {
            case ActorKind.Thread:
                if (ThreadEnabled(a.Thread)) buffer[n++] = Choice.Thread(actorIndex);
                break;
            case ActorKind.Cpu:
                if (EnvRemaining <= 0) break;
                for (int p = 0; p < pages; p++)
                {
                    if ((skipRead >> p & 1) == 0) buffer[n++] = Choice.Env(actorIndex, StepAction.Read, p);
                    if ((skipWrite >> p & 1) == 0) buffer[n++] = Choice.Env(actorIndex, StepAction.Write, p);
                }
                if (tree is not null) n += KernelPrefetchChoices(actorIndex, buffer[n..]); // §7
                break;
            case ActorKind.Device:
                if (EnvRemaining <= 0 || i[s.Attached] == 0) break;
                for (int p = 0; p < pages; p++)
                {
                    if ((skipRead >> p & 1) == 0) buffer[n++] = Choice.Env(actorIndex, StepAction.Read, p);
                    if ((skipWrite >> p & 1) == 0) buffer[n++] = Choice.Env(actorIndex, StepAction.Write, p);
                    if ((skipPrefetch >> p & 1) == 0) buffer[n++] = Choice.Env(actorIndex, StepAction.Prefetch, p);
                }
                if (tree is not null && program.Arch == Arch.X86) n += KernelPrefetchChoices(actorIndex, buffer[n..]); // §7.6 rule 7
                break;
            case ActorKind.Gup: // §7
                n += GupChoices(actorIndex, a.Unit, buffer[n..]);
                break;
            case ActorKind.Shadow:
                if (i[s.Attached] == 0) break;
                if (i[s.CtxPhase + a.Unit] != 0)
                {
                    buffer[n++] = Choice.Env(actorIndex, StepAction.Step, i[s.CtxPage + a.Unit]);
                    break;
                }
                if (EnvRemaining <= 0) break;
                bool canFault = i[s.ActiveInvalidations] == 0;
                for (int p = 0; p < pages; p++)
                {
                    if (canFault) buffer[n++] = Choice.Env(actorIndex, StepAction.Fault, p);
                    if ((skipRead >> p & 1) == 0) buffer[n++] = Choice.Env(actorIndex, StepAction.Read, p);
                    if ((skipWrite >> p & 1) == 0) buffer[n++] = Choice.Env(actorIndex, StepAction.Write, p);
                }
                break;
            default:
                if (EnvRemaining > 0 && i[s.FreeCount] > 0) buffer[n++] = Choice.Env(actorIndex, StepAction.Reuse, 0);
                break;
        }
        return n;
    }

    /// <summary>
    /// Takes one step. The caller must have checked <see cref="CanStep"/>. Returns the invariants violated
    /// by this step as a bit set (bit k = <see cref="InvariantId"/> k); 0 when none.
    /// </summary>
    public uint Step(Choice choice)
    {
        violations = 0;
        freedThisStep = false;
        actor = choice.Actor;
        recorder?.BeginStep();
        var a = actors[choice.Actor];
        int mm = mm2 ? ActorMm(choice.Actor) : 0; // §7 mm2: the step acts through its actor's mm
        if (mm != 0) EnterMm(mm);
        switch (a.Kind)
        {
            case ActorKind.Thread:
                StepThread(a.Thread);
                break;
            case ActorKind.Cpu:
                EnvRemaining--;
                if (tree is not null) TreeCpuAccess(a.Unit, choice.Page, choice.Action == StepAction.Write); // §7
                else CpuAccess(a.Unit, choice.Page, choice.Action == StepAction.Write);
                break;
            case ActorKind.Device:
                EnvRemaining--;
                if (tree is not null) TreeDeviceAction(a.Unit, choice.Action, choice.Page); // §7
                else DeviceAction(a.Unit, choice.Action, choice.Page);
                break;
            case ActorKind.Gup: // §7: g1 costs one action, g2 and g3 are free
                if (i[s.GupPhase + a.Unit] == 0) EnvRemaining--;
                GupStep(a.Unit, choice.Page);
                break;
            case ActorKind.Shadow:
                if (i[s.CtxPhase + a.Unit] != 0) FaultStep(a.Unit, a.Unit, choice.Page);
                else
                {
                    EnvRemaining--;
                    if (choice.Action == StepAction.Fault) FaultStep(a.Unit, a.Unit, choice.Page);
                    else ShadowAccess(a.Unit, choice.Page, choice.Action == StepAction.Write);
                }
                break;
            default:
                EnvRemaining--;
                Reuse();
                break;
        }
        if (mm != 0) EnterMm(0);
        if (tree is not null) RcuStep(); // §7.6 rule 5
        if (dirty) DirtyAfterStep(); // §8.4 clause (a)
        Steps++;
        recorder?.EndStep();
        return violations;
    }

    private void StepThread(int t)
    {
        var tp = threads[t];
        int pc = i[s.Pc + t];
        int opIndex = tp.FirstOp + pc;
        ref readonly Op op = ref ops[opIndex];
        bool ran = op.Condition < 0 || ConditionHolds(t, op);
        bool finished = !ran || Execute(t, opIndex, op);
        if (ran && recorder is not null) RecordLock(op);
        if (finished) i[s.Pc + t] = pc + 1;
        if (!tp.IsKernel) return;
        bool ended = finished && pc + 1 == tp.OpCount;
        if (ended) ThreadReturned(t);
        if ((ran && finished && op.CommitPoint) || freedThisStep || ended) CommitPoint(t); // a multi-step op commits at its last step
    }

    private void ThreadReturned(int t)
    {
        if (i[s.NotifierDepth + t] > 0)
        {
            int open = i[s.NotifierStack + t * s.MaxDepth + i[s.NotifierDepth + t] - 1];
            Flag(InvariantId.UnbalancedNotifier, ViolationSite.Of(actor, start: ops[open].Start, end: ops[open].End));
        }
        w[s.ReturnedCover] |= w[s.Cover + t];
        if (dirty) DirtyThreadReturned(t); // §8.4 rule 5
    }

    private void CommitPoint(int t)
    {
        if (StaleSecondaryAfterFlushCheck(s, t, out int device, out int page))
            Flag(InvariantId.StaleSecondaryAfterFlush, ViolationSite.Of(actor, page, i[s.IotlbFrame + device * pages + page], device));
    }

    private void Flag(InvariantId id, ViolationSite site)
    {
        uint bit = 1u << (int)id;
        if ((violations & bit) != 0) return;
        violations |= bit;
        sites[(int)id] = site;
        recorder?.Violated(id, site);
    }

    /// <summary>Reports a lock op that ran (reporting only).</summary>
    private void RecordLock(in Op op)
    {
        switch (op.Code)
        {
            case OpCode.MmapReadLock:
            case OpCode.MmapWriteLock: recorder!.Lock("mmap_lock", acquired: true); break;
            case OpCode.MmapReadUnlock:
            case OpCode.MmapWriteUnlock: recorder!.Lock("mmap_lock", acquired: false); break;
            case OpCode.PtlLock:
            case OpCode.Lock: recorder!.Lock(program.LockNames[op.Arg], acquired: true); break;
            case OpCode.PtlUnlock:
            case OpCode.Unlock: recorder!.Lock(program.LockNames[op.Arg], acquired: false); break;
        }
    }

    private bool OpEnabled(int t, in Op op)
    {
        switch (op.Code)
        {
            case OpCode.MmapReadLock:
                return i[s.MmapWriter] < 0;
            case OpCode.MmapWriteLock:
                return i[s.MmapWriter] < 0 && i[s.MmapReaders] == 0;
            case OpCode.PtlLock:
            case OpCode.Lock:
                return i[s.LockHolder + op.Arg] < 0;
            case OpCode.WaitPte:
                return PteIs(op.Arg, op.Wait);
            case OpCode.Fault:
                return i[s.CtxPhase + s.ThreadContext[t]] != 0 || i[s.Attached] == 0 || i[s.ActiveInvalidations] == 0;
            case OpCode.Writeback: // §8
                return WritebackEnabled(t, op.Arg);
            default:
                return true;
        }
    }

    private bool ConditionHolds(int t, in Op op)
    {
        bool value = Holds(t, op.Condition, op.ConditionPage) != op.ConditionNegated;
        // §8: if C1 or C2 OP
        return value || (op.OrCondition >= 0 && Holds(t, op.OrCondition, op.OrConditionPage) != op.OrConditionNegated);
    }

    private bool Holds(int t, sbyte condition, int p)
    {
        if (condition >= (sbyte)ConditionKind.PteDirty) return DirtyCondition(t, (ConditionKind)condition, p); // §8
        return (ConditionKind)condition switch
        {
            ConditionKind.TlbFlushPending => i[s.TlbFlushPending] > 0,
            ConditionKind.TlbFlushNested => i[s.TlbFlushPending] > 1,
            ConditionKind.TlbFlushBatched => i[s.TlbFlushBatched] != 0,
            ConditionKind.PteNone => !PteIs(p, PteState.Present),
            ConditionKind.PtePresent => PteIs(p, PteState.Present),
            ConditionKind.PteReadonly => PteIs(p, PteState.Readonly),
            _ => PteIs(p, PteState.Writable),
        };
    }

    private bool PteIs(int page, PteState state)
    {
        bool present = page >= 0 && (w[s.PtePresent] >> page & 1) != 0;
        bool writable = page >= 0 && (w[s.PteWritable] >> page & 1) != 0 && !Protnone(page); // §8: PROT_NONE reads as read-only
        return state switch
        {
            PteState.None => !present,
            PteState.Present => present,
            PteState.Readonly => present && !writable,
            _ => present && writable,
        };
    }

    private static int Lowest(ulong mask) => BitOperations.TrailingZeroCount(mask);

    /// <summary>Checks thread <paramref name="thread"/>'s flushed pages against every device's IOTLB.</summary>
    private static bool StaleSecondaryAfterFlushCheck(ModelState s, int thread, out int device, out int page)
    {
        ulong flushed = s.W[s.Flushed + thread];
        if (flushed != 0 && s.I[s.Attached] != 0)
        {
            ulong present = s.W[s.PtePresent], writable = s.W[s.PteWritable];
            for (int d = 0; d < s.Devices; d++)
            {
                ulong candidates = s.W[s.IotlbValid + d] & flushed;
                while (candidates != 0)
                {
                    int p = System.Numerics.BitOperations.TrailingZeroCount(candidates);
                    candidates &= candidates - 1;
                    ulong bit = 1UL << p;
                    if (StaleSecondaryAfterFlush.IsStale(s.I[s.IotlbFrame + d * s.Pages + p], (s.W[s.IotlbWritable + d] & bit) != 0,
                            (present & bit) != 0, s.I[s.PteFrame + p], (writable & bit) != 0)
                        || (s.HasDirty && (s.W[s.PteProtnone] & bit) != 0)) // §8.2 rule 6: any entry over a PROT_NONE PTE
                    {
                        device = d;
                        page = p;
                        return true;
                    }
                }
            }
        }
        device = -1;
        page = -1;
        return false;
    }
}
