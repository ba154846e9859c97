using Checker.Exploration;
using Checker.Generators;
using Checker.Language;
using Checker.Model;
using Checker.Vocabulary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Properties.Laws;

/// <summary>
/// Laws 16-21, §8 dirty data (DESIGN §8), over orderings from <see cref="DirtyOrderingGen"/> run with sampled
/// schedules: a store through a D = 1 entry changes no PTE; after writeback, content = disk until the next store;
/// reads never set D; PROT_NONE is never walked; writeback leaves no PTE of the frame dirty or writable; and a file
/// without §8 lines has the same exhaustive state count with the §8 fields present as without them.
/// </summary>
public class DirtyLaws(ITestOutputHelper output)
{
    private const int SchedulesPerCase = 10;
    private const int Bound = 5;

    /// <summary>Runs sampled schedules with <paramref name="step"/>; <paramref name="check"/> sees the machine before
    /// (a copy of the state) and after each step that violated nothing, and returns a failure or null.</summary>
    private static Property StepLaw(StepFunction step, Func<CompiledOrdering, Choice, ModelState, Machine, string?> check, string what) =>
        Prop.ForAll(DirtyOrderingGen.Arbitrary(), Arb.From(Gen.Choose(0, int.MaxValue)), (ordering, seed) =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var machine = new Machine(program);
            var before = new ModelState(program);
            string? failure = null;
            int steps = 0;
            foreach (var schedule in Steps.Sampled(program, seed, SchedulesPerCase, Bound))
            {
                machine.Reset(Executor.UnlimitedBudget);
                for (int k = 0; k < schedule.Count && failure is null; k++)
                {
                    var choice = schedule.Steps[k];
                    if (!machine.CanStep(choice)) break;
                    before.CopyFrom(machine.State);
                    uint violated = step(machine, choice);
                    steps++;
                    if (violated != 0) break;
                    if (check(program, choice, before, machine) is { } why)
                        failure = $"{why} at step {k + 1} ({schedule.StepLines()[k]})\nschedule:\n{string.Join("\n", schedule.StepLines().Take(k + 1))}";
                }
                if (failure is not null) break;
            }
            return (failure is null).Label(failure ?? what).Classify(steps == 0, "no step ran");
        });

    private static bool IsAccess(CompiledOrdering program, Choice choice, out ActorKind kind, out bool write)
    {
        var actor = program.Actors[choice.Actor];
        kind = actor.Kind;
        write = choice.Action == StepAction.Write;
        return actor.Kind is ActorKind.Cpu or ActorKind.Device && choice.Action is StepAction.Read or StepAction.Write or StepAction.Prefetch;
    }

    private static bool IsOp(CompiledOrdering program, Choice choice, ModelState before, OpCode code)
    {
        var actor = program.Actors[choice.Actor];
        if (actor.Kind != ActorKind.Thread) return false;
        int pc = before.I[before.Pc + actor.Thread];
        return pc < program.Threads[actor.Thread].OpCount && program.Ops[program.Threads[actor.Thread].FirstOp + pc].Code == code;
    }

    private static int OpArg(CompiledOrdering program, Choice choice, ModelState before)
    {
        var actor = program.Actors[choice.Actor];
        return program.Ops[program.Threads[actor.Thread].FirstOp + before.I[before.Pc + actor.Thread]].Arg;
    }

    private static bool Tracked(ModelState s, int f) => f >= 0 && (s.I[s.FrameCache + f] != 0 || s.I[s.FrameLazy + f] != 0);

    private static bool SamePtes(ModelState a, ModelState b)
    {
        if (a.W[a.PtePresent] != b.W[b.PtePresent] || a.W[a.PteWritable] != b.W[b.PteWritable]
            || a.W[a.PteDirty] != b.W[b.PteDirty] || a.W[a.PteProtnone] != b.W[b.PteProtnone]) return false;
        for (int p = 0; p < a.Pages; p++)
            if (a.I[a.PteFrame + p] != b.I[b.PteFrame + p]) return false;
        return true;
    }

    // ---- law 16: a store through a writable entry that cached D = 1 touches no PTE (§8.2 rule 2) ----

    internal static Property WriteThroughADirtyEntryChangesNoPte(StepFunction step) =>
        StepLaw(step, (program, choice, before, machine) =>
        {
            if (!IsAccess(program, choice, out var kind, out bool write) || !write || kind != ActorKind.Cpu) return null;
            int c = program.Actors[choice.Actor].Unit, p = choice.Page;
            ulong bit = 1UL << p;
            if ((before.W[before.TlbValid + c] & before.W[before.TlbWritable + c] & bit) == 0) return null;
            int f = before.I[before.TlbFrame + c * before.Pages + p];
            bool entryDirty = (before.W[before.TlbDirty + c] & bit) != 0 || !Tracked(before, f);
            if (!entryDirty) return null;
            return SamePtes(before, machine.State) ? null : $"cpu{c}'s store through its D = 1 entry for page {p} changed a PTE";
        }, "a store through a D = 1 entry changes no PTE");

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property AStoreThroughADirtyEntryChangesNoPte() => WriteThroughADirtyEntryChangesNoPte(Steps.Real);

    [Fact]
    public void TheDirtyEntryLawCatchesACpuThatSetsDOnEveryStore() => Planted(WriteThroughADirtyEntryChangesNoPte((machine, choice) =>
    {
        uint v = machine.Step(choice);
        var s = machine.State;
        // the planted CPU writes D into the PTE slot on every store, through a stale entry too
        if (machine.Program.Actors[choice.Actor].Kind == ActorKind.Cpu && choice.Action == StepAction.Write) s.W[s.PteDirty] |= 1UL << choice.Page;
        return v;
    }));

    // ---- law 17: writeback followed by no store leaves content = disk ----

    internal static Property WritebackLeavesContentOnDisk(StepFunction step) =>
        StepLaw(step, (program, choice, before, machine) =>
        {
            var s = machine.State;
            for (int f = 0; f < s.I[s.FrameCount]; f++)
            {
                if (s.I[s.FrameCache + f] == 0) continue;
                bool wroteBack = IsOp(program, choice, before, OpCode.Writeback) && OpArg(program, choice, before) == f;
                bool stored = s.C[s.FrameContent + f] != before.C[before.FrameContent + f];
                bool wasOnDisk = before.I[before.FrameUnwritten + f] != 0 && before.C[before.FrameDisk + f] == before.C[before.FrameContent + f];
                if ((wroteBack || (wasOnDisk && !stored)) && s.C[s.FrameDisk + f] != s.C[s.FrameContent + f])
                    return $"frame f{f}: content v{s.C[s.FrameContent + f]} but disk v{s.C[s.FrameDisk + f]} after {(wroteBack ? "its writeback" : "a step without a store")}";
            }
            return null;
        }, "after writeback, content = disk until the next store");

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property WritebackFollowedByNoStoreLeavesContentEqualToDisk() => WritebackLeavesContentOnDisk(Steps.Real);

    [Fact]
    public void TheWritebackLawCatchesAWritebackThatWritesAStaleVersion() => Planted(WritebackLeavesContentOnDisk((machine, choice) =>
    {
        var s = machine.State;
        var actor = machine.Program.Actors[choice.Actor];
        bool wb = actor.Kind == ActorKind.Thread && !machine.ThreadDone(actor.Thread) && machine.Program.Ops[machine.NextOpIndex(actor.Thread)].Code == OpCode.Writeback;
        uint v = machine.Step(choice);
        if (wb) for (int f = 0; f < s.I[s.FrameCount]; f++) if (s.C[s.FrameDisk + f] > 0) s.C[s.FrameDisk + f]--;
        return v;
    }));

    // ---- law 18: reads never set D (§8.2 rule 4) ----

    internal static Property ReadsNeverSetDirty(StepFunction step) =>
        StepLaw(step, (program, choice, before, machine) =>
            IsAccess(program, choice, out _, out bool write) && !write
                && (machine.State.W[machine.State.PteDirty] & ~before.W[before.PteDirty] & machine.State.W[machine.State.PtePresent]) != 0
                ? $"a read set D" : null, "reads never set D");

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property AReadNeverSetsADirtyBit() => ReadsNeverSetDirty(Steps.Real);

    [Fact]
    public void TheReadLawCatchesAWalkThatSetsDOnReads() => Planted(ReadsNeverSetDirty((machine, choice) =>
    {
        uint v = machine.Step(choice);
        var s = machine.State;
        if (choice.Action == StepAction.Read && machine.Program.Actors[choice.Actor].Kind is ActorKind.Cpu or ActorKind.Device)
            s.W[s.PteDirty] |= (1UL << choice.Page) & s.W[s.PtePresent];
        return v;
    }));

    // ---- law 19: a PROT_NONE PTE is never walked (§8.1) ----

    internal static Property ProtnoneIsNeverWalked(StepFunction step) =>
        StepLaw(step, (program, choice, before, machine) =>
        {
            if (!IsAccess(program, choice, out var kind, out _)) return null;
            var s = machine.State;
            ulong bit = 1UL << choice.Page;
            if ((before.W[before.PteProtnone] & bit) == 0) return null;
            int unit = program.Actors[choice.Actor].Unit;
            int valid = kind == ActorKind.Cpu ? s.TlbValid + unit : s.IotlbValid + unit;
            return (before.W[valid] & bit) == 0 && (s.W[valid] & bit) != 0 ? $"{program.Actors[choice.Actor].Name} cached page {choice.Page} over a PROT_NONE PTE" : null;
        }, "a PROT_NONE PTE is never walked");

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property AProtnonePteIsNeverWalked() => ProtnoneIsNeverWalked(Steps.Real);

    [Fact]
    public void TheProtnoneLawCatchesAWalkThatIgnoresProtnone() => Planted(ProtnoneIsNeverWalked((machine, choice) =>
    {
        var s = machine.State;
        var actor = machine.Program.Actors[choice.Actor];
        ulong bit = 1UL << choice.Page;
        bool protnone = (s.W[s.PteProtnone] & bit) != 0;
        uint v = machine.Step(choice);
        if (protnone && actor.Kind == ActorKind.Cpu && choice.Action is StepAction.Read or StepAction.Write)
        {
            s.W[s.TlbValid + actor.Unit] |= bit;
            s.I[s.TlbFrame + actor.Unit * s.Pages + choice.Page] = s.I[s.PteFrame + choice.Page];
        }
        return v;
    }));

    // ---- law 20: writeback leaves no PTE of the frame dirty or writable ----

    internal static Property WritebackCleansEveryPte(StepFunction step) =>
        StepLaw(step, (program, choice, before, machine) =>
        {
            if (!IsOp(program, choice, before, OpCode.Writeback)) return null;
            int f = OpArg(program, choice, before);
            var s = machine.State;
            if (f < 0 || s.I[s.FrameCache + f] == 0) return null;
            for (ulong m = s.W[s.PtePresent]; m != 0; m &= m - 1)
            {
                int p = System.Numerics.BitOperations.TrailingZeroCount(m);
                if (s.I[s.PteFrame + p] == f && ((s.W[s.PteDirty] | s.W[s.PteWritable]) >> p & 1) != 0)
                    return $"after writeback of f{f}, PTE {p} is still dirty or writable";
            }
            return null;
        }, "writeback leaves no PTE of the frame dirty or writable");

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property WritebackLeavesNoDirtyOrWritablePteOfItsFrame() => WritebackCleansEveryPte(Steps.Real);

    [Fact]
    public void TheWritebackCleaningLawCatchesAWritebackThatKeepsTheWriteBit() => Planted(WritebackCleansEveryPte((machine, choice) =>
    {
        var s = machine.State;
        var actor = machine.Program.Actors[choice.Actor];
        bool wb = actor.Kind == ActorKind.Thread && !machine.ThreadDone(actor.Thread) && machine.Program.Ops[machine.NextOpIndex(actor.Thread)].Code == OpCode.Writeback;
        ulong writable = s.W[s.PteWritable];
        uint v = machine.Step(choice);
        if (wb) s.W[s.PteWritable] |= writable & s.W[s.PtePresent];
        return v;
    }));

    // ---- law 21: without §8 lines, the §8 fields split no state (DESIGN §8.7) ----

    private const int SearchBound = 2;
    private const long StateLimit = 20_000;

    internal static Property SameStatesWithoutDirtyLines(Func<Ordering, DirtyLayout> layout) =>
        Prop.ForAll(OrderingGen.Arbitrary(new OrderingShape(MaxThreads: 2)), ordering =>
        {
            if (ordering.UsesDirtyData) return true.Label("uses §8");
            var plain = CompiledOrdering.Compile(ordering);
            var withFields = CompiledOrdering.Compile(ordering);
            withFields.Dirty = layout(ordering);
            var a = new ExhaustiveExplorer(plain, symmetry: false); // §8.7 speaks of the unreduced search
            a.Run(SearchBound, StateLimit, CancellationToken.None);
            var b = new ExhaustiveExplorer(withFields, symmetry: false);
            b.Run(SearchBound, StateLimit, CancellationToken.None);
            bool sameFound = true;
            for (int id = 0; id < Invariant.Count; id++) sameFound &= (a.Found[id] is null) == (b.Found[id] is null);
            return (a.States == b.States && sameFound && a.Complete == b.Complete)
                .Label($"states {a.States} without the §8 fields, {b.States} with them; same verdict: {sameFound}")
                .Classify(!a.Complete, "hit the state limit");
        });

    [Property(MaxTest = 40, QuietOnSuccess = false)]
    public Property AFileWithoutDirtyLinesHasTheSameStateCountWithTheDirtyFields() =>
        SameStatesWithoutDirtyLines(o => DirtyLayout.Of(o, o.Pages == 64 ? ulong.MaxValue : (1UL << o.Pages) - 1));

    [Fact]
    public void TheStateCountLawCatchesDirtyDataSwitchedOnWithALazyfreePage() => Planted(SameStatesWithoutDirtyLines(o =>
        DirtyLayout.Of(Parse("lazyfree 0 1\n" + OrderingPrinter.Print(o)), (1UL << o.Pages) - 1)));

    private static Ordering Parse(string text)
    {
        var r = OrderingParser.Parse(text, "planted.order");
        return r.Ok ? r.Ordering! : throw new InvalidOperationException(string.Join("\n", r.Diagnostics));
    }

    private void Planted(Property law)
    {
        string? report = Falsify.Run(law);
        Assert.True(report is not null, "the law held on the planted bug");
        output.WriteLine(report);
    }
}
