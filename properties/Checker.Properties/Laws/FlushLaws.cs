using Checker.Exploration;
using Checker.Generators;
using Checker.Model;
using Checker.Vocabulary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Properties.Laws;

/// <summary>
/// Laws 2 and 9: what a CPU flush leaves in the CPU TLBs. After <c>flush_tlb_mm</c> no CPU holds any entry;
/// after a CPU flush of range R (<c>flush_tlb_range</c>, <c>flush_tlb_page</c>, <c>ptep_clear_flush[_notify]</c>)
/// no CPU holds an entry for a page whose 4 KiB meets R. Checked at every such step of sampled schedules of
/// generated orderings with at least one CPU.
/// </summary>
public class FlushLaws(ITestOutputHelper output)
{
    private const int SchedulesPerCase = 12;
    private const int Bound = 6;

    /// <summary>Runs sampled schedules with <paramref name="step"/>; after every unconditional flush op that
    /// <paramref name="isFlush"/> accepts, <paramref name="flushed"/> gives the pages no CPU may hold.</summary>
    private static Property FlushLaw(OrderingShape shape, StepFunction step, Func<OpCode, bool> isFlush, Func<CompiledOrdering, Op, ulong> flushed, string what) =>
        Prop.ForAll(OrderingGen.Arbitrary(shape), Arb.From(Gen.Choose(0, int.MaxValue)), (ordering, seed) =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var machine = new Machine(program);
            int flushes = 0, withEntries = 0;
            string? failure = null;
            foreach (var schedule in Steps.Sampled(program, seed, SchedulesPerCase, Bound))
            {
                machine.Reset(Executor.UnlimitedBudget);
                for (int k = 0; k < schedule.Count && failure is null; k++)
                {
                    var choice = schedule.Steps[k];
                    if (!machine.CanStep(choice)) break;
                    var actor = program.Actors[choice.Actor];
                    Op? op = null;
                    if (actor.Kind == ActorKind.Thread && !machine.ThreadDone(actor.Thread))
                        op = program.Ops[machine.NextOpIndex(actor.Thread)];
                    bool check = op is { } o && o.Condition < 0 && isFlush(o.Code);
                    ulong range = check ? flushed(program, op!.Value) : 0;
                    if (check && AnyCpuHolds(machine, range)) withEntries++;
                    uint violated = step(machine, choice);
                    if (check)
                    {
                        flushes++;
                        for (int c = 0; c < program.Cpus; c++)
                        {
                            ulong left = machine.State.W[machine.State.TlbValid + c] & range;
                            if (left != 0)
                                failure = $"after step {k + 1} ({schedule.StepLines()[k]}) cpu{c} still holds pages 0x{left:x} of 0x{range:x}\nschedule:\n{string.Join("\n", schedule.StepLines().Take(k + 1))}";
                        }
                    }
                    if (violated != 0) break;
                }
                if (failure is not null) break;
            }
            return (failure is null).Label(failure ?? what)
                .Classify(flushes == 0, "no flush ran")
                .Classify(withEntries > 0, "a CPU held an entry in the range before the flush")
                .Classify(program.Cpus > 1, "several CPUs");
        });

    internal static Property FlushTlbMmLeavesNoEntry(StepFunction step) =>
        FlushLaw(new OrderingShape(MinCpus: 1) { Emphasis = ["flush_tlb_mm"] }, step, code => code == OpCode.FlushTlbMm, (program, _) => program.AllPages, "flush_tlb_mm leaves no CPU TLB entry");

    internal static Property RangeFlushLeavesNoEntryInRange(StepFunction step) =>
        FlushLaw(new OrderingShape(MinCpus: 1) { Emphasis = ["flush_tlb_range", "flush_tlb_page", "ptep_clear_flush", "ptep_clear_flush_notify"] },
            step, code => code is OpCode.FlushTlbRange or OpCode.FlushTlbPage or OpCode.PtepClearFlush or OpCode.PtepClearFlushNotify,
            (program, op) => PagesMeeting(op.Start, op.End, program.Pages), "a CPU flush of R leaves no CPU entry in R");

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property FlushTlbMmLeavesNoCpuTlbEntry() => FlushTlbMmLeavesNoEntry(Steps.Real);

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property ACpuFlushOfARangeLeavesNoCpuEntryInThatRange() => RangeFlushLeavesNoEntryInRange(Steps.Real);

    [Fact]
    public void TheFlushTlbMmLawCatchesAFlushThatSkipsTheLastCpu()
    {
        string? report = Falsify.Run(FlushTlbMmLeavesNoEntry(SkipsLastCpu(OpCode.FlushTlbMm)), maxTest: 300);
        Assert.True(report is not null, "the flush_tlb_mm law did not catch a flush that skips the last CPU");
        output.WriteLine(report);
    }

    [Fact]
    public void TheRangeFlushLawCatchesAFlushThatStopsOnePageShort()
    {
        string? report = Falsify.Run(RangeFlushLeavesNoEntryInRange(StopsOnePageShort), maxTest: 300);
        Assert.True(report is not null, "the range-flush law did not catch a flush that stops one page short");
        output.WriteLine(report);
    }

    /// <summary>A planted bug: the flush's loop over CPUs stops one CPU short (its entries come back after the step).</summary>
    private static StepFunction SkipsLastCpu(OpCode code) => (machine, choice) =>
    {
        var s = machine.State;
        var actor = machine.Program.Actors[choice.Actor];
        bool flush = actor.Kind == ActorKind.Thread && !machine.ThreadDone(actor.Thread)
            && machine.Program.Ops[machine.NextOpIndex(actor.Thread)].Code == code;
        int last = s.Cpus - 1;
        ulong valid = last >= 0 ? s.W[s.TlbValid + last] : 0, writable = last >= 0 ? s.W[s.TlbWritable + last] : 0;
        uint violated = machine.Step(choice);
        if (flush && last >= 0)
        {
            s.W[s.TlbValid + last] = valid;
            s.W[s.TlbWritable + last] = writable;
        }
        return violated;
    };

    /// <summary>A planted bug: a range flush drops [start, end - 4096), keeping the range's last page.</summary>
    private static uint StopsOnePageShort(Machine machine, Choice choice)
    {
        var s = machine.State;
        var actor = machine.Program.Actors[choice.Actor];
        ulong keep = 0;
        if (actor.Kind == ActorKind.Thread && !machine.ThreadDone(actor.Thread)
            && machine.Program.Ops[machine.NextOpIndex(actor.Thread)] is { Code: OpCode.FlushTlbRange } op)
        {
            ulong range = PagesMeeting(op.Start, op.End, s.Pages);
            if (range != 0) keep = 1UL << (63 - System.Numerics.BitOperations.LeadingZeroCount(range));
        }
        var valid = new ulong[s.Cpus];
        var writable = new ulong[s.Cpus];
        for (int c = 0; c < s.Cpus; c++)
        {
            valid[c] = s.W[s.TlbValid + c] & keep;
            writable[c] = s.W[s.TlbWritable + c] & keep;
        }
        uint violated = machine.Step(choice);
        for (int c = 0; c < s.Cpus; c++)
        {
            s.W[s.TlbValid + c] |= valid[c];
            s.W[s.TlbWritable + c] |= writable[c];
        }
        return violated;
    }

    /// <summary>User pages whose 4 KiB meets the bytes [start, end) (nothing when start ≥ end), written from
    /// DESIGN §3.6 rule 12 rather than taken from the compiler.</summary>
    private static ulong PagesMeeting(ulong start, ulong end, int pages)
    {
        ulong mask = 0;
        for (int p = 0; p < pages && start < end; p++)
        {
            ulong first = (ulong)p * 4096, last = first + 4095;
            if (first < end && last >= start) mask |= 1UL << p;
        }
        return mask;
    }

    private static bool AnyCpuHolds(Machine machine, ulong range)
    {
        for (int c = 0; c < machine.State.Cpus; c++)
            if ((machine.State.W[machine.State.TlbValid + c] & range) != 0) return true;
        return false;
    }
}
