using Checker.Exploration;
using Checker.Generators;
using Checker.Language;
using Checker.Model;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Properties.Laws;

/// <summary>
/// §7 law 29 (issue 12), two mms: a step of mm 1 — one of its kernel threads, one of its CPUs (<c>mm2 cpus K</c>) or a
/// GUP-fast walker of mm 1 — never changes mm 0's PTEs, mm 0's CPUs' user leaf and walk entries, or the devices'
/// (attached to mm 0) user entries, unless mm 1's PUD pointed at mm 0's PMD table (<c>shared-pmd</c>) when the step
/// began. Over <see cref="TreeGen.Mm2Text"/> orderings (mm2, mm2 cpus K, shared-pmd, threads and walkers of mm 1,
/// classified), with a companion test that plants a flush of mm 1 reaching mm 0's CPUs too.
/// </summary>
public class Mm2Laws(ITestOutputHelper output)
{
    private const int SchedulesPerCase = 10;
    private const int Bound = 6;

    internal static Property Mm1StepsLeaveMm0Alone(StepFunction step) =>
        Prop.ForAll(Arb.From(TreeGen.Mm2Text()), Arb.From(Gen.Choose(0, int.MaxValue)), (text, seed) =>
        {
            var ordering = OrderingParser.Parse(text, "mm2.order").Ordering!;
            var program = CompiledOrdering.Compile(ordering);
            var machine = new Machine(program);
            string? failure = null;
            int mm1Steps = 0;
            foreach (var schedule in Steps.Sampled(program, seed, SchedulesPerCase, Bound))
            {
                machine.Reset(Executor.UnlimitedBudget);
                for (int k = 0; k < schedule.Count && failure is null; k++)
                {
                    var choice = schedule.Steps[k];
                    if (!machine.CanStep(choice)) break;
                    bool mm1 = ActsOnMm1(machine, choice), shared = Shared(machine.State);
                    var before = Mm0View.Of(machine.State);
                    uint violated = step(machine, choice);
                    if (mm1 && !shared)
                    {
                        mm1Steps++;
                        failure = before.Diff(Mm0View.Of(machine.State));
                        if (failure is not null)
                            failure = $"step {k + 1} ({schedule.StepLines()[k]}) of mm 1 changed mm 0: {failure}\n{text}\nschedule:\n{string.Join("\n", schedule.StepLines().Take(k + 1))}";
                    }
                    if (violated != 0) break;
                }
                if (failure is not null) break;
            }
            var (sharedPmd, mm1Cpus, mm1Threads) = TreeGen.Mm2Shape(text);
            return (failure is null).Label(failure ?? "steps of mm 1 leave mm 0's PTEs, CPUs and devices alone unless the PMD table is shared")
                .Classify(sharedPmd, "shared-pmd").Classify(!sharedPmd, "own tables")
                .Classify(mm1Cpus, "CPUs of mm 1").Classify(mm1Threads, "threads of mm 1")
                .Classify(mm1Steps == 0, "no unshared step of mm 1");
        });

    private static bool Shared(ModelState s) => s.I[s.Pud1] >= 0 && s.I[s.Pud1] == s.I[s.Pud];

    private static bool ActsOnMm1(Machine m, Choice choice)
    {
        var a = m.Program.Actors[choice.Actor];
        var tree = m.State.Tree!;
        return a.Kind switch
        {
            ActorKind.Thread => tree.ThreadMm[a.Thread] == 1,
            ActorKind.Cpu => a.Unit >= tree.Mm0Cpus,
            ActorKind.Gup => tree.GupMm[a.Unit] == 1,
            _ => false,
        };
    }

    /// <summary>mm 0's PTEs, its CPUs' user leaf and walk entries, and the devices' user entries, as numbers.</summary>
    private sealed record Mm0View(long[] Cells)
    {
        public static Mm0View Of(ModelState s)
        {
            var tree = s.Tree!;
            var cells = new List<long> { (long)s.W[s.PtePresent], (long)s.W[s.PteWritable], s.I[s.Pud] };
            for (int p = 0; p < s.Pages; p++) cells.Add(s.I[s.PteFrame + p]);
            for (int r = 0; r < tree.Regions; r++) { cells.Add(s.I[s.PmdKind + r]); cells.Add(s.I[s.PmdFrame + r]); }
            for (int c = 0; c < tree.Mm0Cpus; c++)
                Unit(cells, s, s.W[s.TlbValid + c], s.W[s.TlbWritable + c], s.TlbFrame + c * s.Pages, s.TlbW2 + c, s.TlbW1 + c * tree.Regions, tree.Regions);
            for (int d = 0; d < s.Devices; d++)
                Unit(cells, s, s.W[s.IotlbValid + d], s.W[s.IotlbWritable + d], s.IotlbFrame + d * s.Pages, s.IotlbW2 + d, s.IotlbW1 + d * tree.Regions, tree.Regions);
            return new Mm0View(cells.ToArray());
        }

        private static void Unit(List<long> cells, ModelState s, ulong valid, ulong writable, int frames, int w2, int w1, int regions)
        {
            cells.Add((long)valid);
            cells.Add((long)(writable & valid));
            for (int p = 0; p < s.Pages; p++) cells.Add((valid >> p & 1) != 0 ? s.I[frames + p] : -1);
            cells.Add(s.I[w2]);
            for (int r = 0; r < regions; r++) cells.Add(s.I[w1 + r]);
        }

        public string? Diff(Mm0View after)
        {
            for (int k = 0; k < Cells.Length; k++)
                if (Cells[k] != after.Cells[k]) return $"cell {k} was {Cells[k]}, is {after.Cells[k]}";
            return null;
        }
    }

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property StepsOfMm1LeaveMm0AloneUnlessThePmdTableIsShared() => Mm1StepsLeaveMm0Alone(Steps.Real);

    [Fact]
    public void TheMm2LawCatchesAFlushOfMm1ThatReachesMm0sCpus()
    {
        string? report = Falsify.Run(Mm1StepsLeaveMm0Alone(FlushReachesEveryCpu), maxTest: 300);
        Assert.True(report is not null, "the mm2 law did not catch a flush of mm 1 that drops mm 0's CPUs' entries");
        output.WriteLine(report);
    }

    /// <summary>Planted: a flush op of a thread of mm 1 also empties mm 0's CPUs' TLBs (the flush loop over every CPU
    /// instead of the mm's).</summary>
    private static readonly StepFunction FlushReachesEveryCpu = (m, choice) =>
    {
        var a = m.Program.Actors[choice.Actor];
        var s = m.State;
        bool flush = a.Kind == ActorKind.Thread && s.Tree!.ThreadMm[a.Thread] == 1 && !m.ThreadDone(a.Thread)
            && m.Program.Ops[m.NextOpIndex(a.Thread)].Code is Vocabulary.OpCode.FlushTlbMm or Vocabulary.OpCode.FlushTlbRange
                or Vocabulary.OpCode.FlushTlbPage or Vocabulary.OpCode.PtepClearFlush or Vocabulary.OpCode.TlbFinishMmu;
        uint violated = m.Step(choice);
        if (flush)
            for (int c = 0; c < s.Tree!.Mm0Cpus; c++)
            {
                s.W[s.TlbValid + c] = 0;
                s.W[s.TlbWritable + c] = 0;
            }
        return violated;
    };
}
