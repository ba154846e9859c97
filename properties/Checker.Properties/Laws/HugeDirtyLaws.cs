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
/// Issue 12 (THP split), over orderings from <see cref="HugeDirtyGen"/> run with sampled schedules: a split that
/// finishes carries the huge PMD's D into PG_dirty (from 4.16, the D the entry had when it was invalidated; before,
/// the D the split's first step read), and the first step of a two-step split changes no entry.
/// </summary>
public class HugeDirtyLaws(ITestOutputHelper output)
{
    private const int SchedulesPerCase = 10;
    private const int Bound = 4;

    internal static Property SplitCarriesTheDirtyBit(StepFunction step) =>
        Prop.ForAll(HugeDirtyGen.Arbitrary(), Arb.From(Gen.Choose(0, int.MaxValue)), (ordering, seed) =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var machine = new Machine(program);
            var before = new ModelState(program);
            string? failure = null;
            int splits = 0;
            foreach (var schedule in Steps.Sampled(program, seed, SchedulesPerCase, Bound))
            {
                machine.Reset(Executor.UnlimitedBudget);
                for (int k = 0; k < schedule.Count && failure is null; k++)
                {
                    var choice = schedule.Steps[k];
                    if (!machine.CanStep(choice)) break;
                    before.CopyFrom(machine.State);
                    uint violated = step(machine, choice);
                    if (violated != 0) break;
                    if (Check(program, choice, before, machine.State, ref splits) is { } why)
                        failure = $"{why} at step {k + 1} ({schedule.StepLines()[k]})\nschedule:\n{string.Join("\n", schedule.StepLines().Take(k + 1))}";
                }
                if (failure is not null) break;
            }
            return (failure is null).Label(failure ?? "a split carries the huge PMD's dirty bit").Classify(splits == 0, "no split of a huge page");
        });

    /// <summary>The law for one step: null when it holds.</summary>
    private static string? Check(CompiledOrdering program, Choice choice, ModelState before, ModelState after, ref int splits)
    {
        var actor = program.Actors[choice.Actor];
        if (actor.Kind != ActorKind.Thread) return null;
        var tp = program.Threads[actor.Thread];
        int pc = before.I[before.Pc + actor.Thread];
        if (pc >= tp.OpCount) return null;
        ref readonly var op = ref program.Ops[tp.FirstOp + pc];
        if (op.Code != OpCode.SplitHugePmd || op.Condition >= 0) return null;
        var tree = program.Tree!;
        int r = tree.RegionOf(op.Arg);
        ulong region = tree.RegionMask[r];
        int f0 = before.I[before.PteFrame + r * tree.Span];
        bool hugeTracked = before.I[before.PmdKind + r] == ModelState.PmdHuge && f0 >= 0 && before.I[before.FrameLazy + f0] != 0;
        int read = before.I[before.SplitRead + actor.Thread];
        if (read >> 1 != tp.FirstOp + pc + 1) read = 0; // a read left by another op
        if (!hugeTracked && read == 0) return null;
        splits++;
        bool finished = after.I[after.Pc + actor.Thread] != pc;
        if (!finished)
            return before.W[before.PtePresent] == after.W[after.PtePresent] && before.W[before.PteDirty] == after.W[after.PteDirty]
                && before.I[before.PmdKind + r] == after.I[after.PmdKind + r]
                ? null : "the first step of a two-step split changed an entry";
        if (!hugeTracked) return null; // the entry went away between the two steps
        bool dirty = program.Rules.Has(ReleaseRule.SplitDirtyFromInvalidate)
            ? (before.W[before.PteDirty] & region) != 0
            : (read & 1) != 0;
        if (!dirty) return null;
        for (int k = 0; k < tree.Span; k++)
        {
            int f = before.I[before.PteFrame + r * tree.Span + k];
            if (after.I[after.FramePgDirty + f] == 0) return $"the split of region {r} left frame f{f} clean although the PMD it split was dirty";
        }
        return null;
    }

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property ASplitCarriesTheHugePmdsDirtyBit() => SplitCarriesTheDirtyBit(Steps.Real);

    [Fact]
    public void TheSplitLawCatchesASplitThatDropsTheValuePmdpInvalidateReturned() => Planted(SplitCarriesTheDirtyBit((machine, choice) =>
    {
        var s = machine.State;
        var program = machine.Program;
        var actor = program.Actors[choice.Actor];
        bool split = actor.Kind == ActorKind.Thread && !machine.ThreadDone(actor.Thread)
            && program.Ops[machine.NextOpIndex(actor.Thread)].Code == OpCode.SplitHugePmd;
        uint v = machine.Step(choice);
        // the planted split ignores the old PMD and leaves PG_dirty as it was before 4.16's SetPageDirty(page)
        if (split) for (int f = 0; f < program.Tree!.Span * program.Tree.Regions; f++) s.I[s.FramePgDirty + f] = 0;
        return v;
    }));

    private void Planted(Property law)
    {
        string? report = Falsify.Run(law);
        Assert.True(report is not null, "the law held on the planted bug");
        output.WriteLine(report);
    }
}
