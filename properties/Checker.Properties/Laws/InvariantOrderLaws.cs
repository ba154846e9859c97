using System.Collections.Immutable;
using System.Numerics;
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
/// Law 12 (DESIGN §3.6 rule 4): when several invariants fire at one step, the reported violation is the first
/// of them in the §3.5 table order and the others are its co-violations, each once, in table order.
/// </summary>
public class InvariantOrderLaws(ITestOutputHelper output)
{
    internal delegate Violation MakeViolation(Machine machine, uint violated, int step);

    /// <summary>Orderings where one step breaks several invariants: a CPU using a stale entry to a freed,
    /// copied page of a thread that has returned (use-after-free, access-after-return, lost-write), or a
    /// thread ending inside a start/end with a stale IOTLB entry (stale-secondary, unbalanced-notifier).</summary>
    private static Arbitrary<Ordering> Busy() => Arb.From(
        Gen.OneOf(
            StaleAccessOrdering(),
            OrderingGen.Ordering(new OrderingShape(MinCpus: 1, NoSecondaries: true, MaxThreads: 1) { Emphasis = ["put_page", "pte_clear", "copy_page"] }),
            OrderingGen.Ordering(new OrderingShape(MinCpus: 1, MinDevices: 1, MaxThreads: 2) { Emphasis = ["put_page", "pte_clear", "copy_page", "flush_tlb_range"] })),
        o => OrderingShrinker.Shrink(o));

    /// <summary>A thread that (maybe copies,) clears and frees pages and returns without a flush, with a
    /// random kernel, CPUs and secondaries: a CPU that cached a page before can break three invariants at once.</summary>
    private static Gen<Ordering> StaleAccessOrdering() =>
        from kernel in OrderingGen.KernelWord()
        from pages in Gen.Choose(1, 3)
        from cpus in Gen.Choose(1, 2)
        from device in Gen.Elements("", "secondary sva exact\n", "secondary sva intel\n")
        from copy in Gen.Elements(false, true)
        from last in Gen.Choose(1, pages)
        from notifier in Gen.Elements(false, false, true)
        let range = $"0 {last}"
        let ops = (copy ? $"  copy_page {range}\n" : "") + (notifier ? $"  invalidate_range_start {range}\n" : "")
            + $"  pte_clear {range}\n  put_page {range}\n"
        select Support.Models.Parse($"kernel {kernel}\npages {pages}\ncpus {cpus}\n{device}thread t0\n{ops}", OrderingGen.FileName);

    internal static Property TheFirstInTableOrderIsReported(MakeViolation make) =>
        Prop.ForAll(Busy(), Arb.From(Gen.Choose(0, int.MaxValue)), (ordering, seed) =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var machine = new Machine(program);
            int several = 0, violations = 0;
            string? failure = null;
            foreach (var schedule in Steps.Sampled(program, seed, 200, 4))
            {
                machine.Reset(Executor.UnlimitedBudget);
                for (int k = 0; k < schedule.Count; k++)
                {
                    if (!machine.CanStep(schedule.Steps[k])) break;
                    uint bits = machine.Step(schedule.Steps[k]);
                    if (bits == 0) continue;
                    violations++;
                    var v = make(machine, bits, k);
                    var expected = new List<InvariantId>();
                    for (int id = 0; id < 32; id++)
                        if ((bits >> id & 1) != 0) expected.Add((InvariantId)id);
                    var reported = new List<InvariantId> { v.Id };
                    reported.AddRange(v.CoViolations);
                    if (expected.Count > 1) several++;
                    if (!reported.SequenceEqual(expected))
                        failure = $"step {k + 1} violated {string.Join(", ", expected.Select(Invariant.NameOf))}; reported {v.Name}"
                            + $" with co-violations {string.Join(", ", v.CoViolations.Select(Invariant.NameOf))}\nschedule:\n{schedule}";
                    break;
                }
                if (failure is not null) break;
            }
            return (failure is null).Label(failure ?? "the first in table order is the violation")
                .Classify(several > 0, "several invariants at one step")
                .Classify(violations == 0, "no violation");
        });

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property WhenSeveralInvariantsFireTheFirstInTableOrderIsReported() => TheFirstInTableOrderIsReported(Executor.MakeViolation);

    [Fact]
    public void TheInvariantOrderLawCatchesAReportOfTheLastInvariantFlagged()
    {
        // a planted bug: the highest bit (the last in table order) is reported as the violation
        string? report = Falsify.Run(TheFirstInTableOrderIsReported((machine, bits, step) =>
        {
            int last = 31 - BitOperations.LeadingZeroCount(bits);
            var v = Executor.MakeViolation(machine, bits, step);
            if (v.CoViolations.Count == 0) return v;
            var co = new List<InvariantId> { v.Id };
            co.AddRange(v.CoViolations.Where(id => (int)id != last));
            return v with { Id = (InvariantId)last, CoViolations = co.ToImmutableArray() };
        }));
        Assert.True(report is not null, "the invariant-order law did not catch reporting the last invariant");
        output.WriteLine(report);
    }
}
