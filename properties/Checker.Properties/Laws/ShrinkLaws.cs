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
/// Laws 5, 13, 14 and 15, about shrinking. Law 5: every shrunk counterexample replays (Executor) to the same
/// invariant and has no more environment actions than the exhaustive minimum. Law 13: shrinking never
/// increases environment actions or steps — neither the engine's shrinker nor any of the candidates FsCheck's
/// schedule shrinker offers. Law 14: every candidate of the ordering shrinker parses, is smaller, keeps the
/// ordering's shape and keeps each thread's notifier start/end matched. Law 15: the ordering shrinker reaches
/// the smallest ordering that still fails.
/// </summary>
public class ShrinkLaws(ITestOutputHelper output)
{
    public delegate Choice[] ShrinkFunction(CompiledOrdering program, Choice[] steps, InvariantId id);

    private const int SearchBound = 2;

    public static readonly ShrinkFunction RealShrink = (program, steps, id) => new Shrinker(program, 2_000).Shrink(steps, id);

    public static Property ShrunkCounterexamplesReplayAndAreMinimal(ShrinkFunction shrink) =>
        Prop.ForAll(OrderingGen.Arbitrary(), ordering =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var search = new ExhaustiveExplorer(program);
            search.Run(SearchBound, 20_000, CancellationToken.None);
            var failures = new List<string>();
            int shrunk = 0, fewerSteps = 0;
            for (int id = 0; id < search.Found.Length; id++)
            {
                if (search.Found[id] is not { } path) continue;
                var invariant = (InvariantId)id;
                var steps = shrink(program, path, invariant);
                var schedule = new Schedule(program, [.. steps]);
                var run = Executor.Run(program, schedule);
                shrunk++;
                if (steps.Length < path.Length) fewerSteps++;
                if (run.Diverged || run.Violation?.Id != invariant)
                    failures.Add($"{Invariant.NameOf(invariant)}: the shrunk schedule gives {(run.Diverged ? run.Divergence : run.Violation?.ToString() ?? "no violation")}\n{schedule}");
                else if (schedule.EnvironmentActions > search.FoundEnvironmentActions[id])
                    failures.Add($"{Invariant.NameOf(invariant)}: {schedule.EnvironmentActions} environment actions, the exhaustive minimum is {search.FoundEnvironmentActions[id]}");
            }
            return (failures.Count == 0).Label(string.Join("\n", failures))
                .Classify(shrunk == 0, "nothing found to shrink")
                .Classify(shrunk > 1, "several invariants shrunk")
                .Classify(fewerSteps > 0, "the shrinker removed steps")
                .Classify(!search.Complete, "search incomplete");
        });

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property EveryShrunkCounterexampleReplaysToItsInvariantWithNoMoreEnvironmentThanTheExhaustiveMinimum() =>
        ShrunkCounterexamplesReplayAndAreMinimal(RealShrink);

    [Fact]
    public void TheReplayLawCatchesAShrinkerThatDeletesWithoutReRunning()
    {
        // a planted bug: the shrinker drops every environment action and never re-runs the candidate
        string? report = Falsify.Run(ShrunkCounterexamplesReplayAndAreMinimal((program, steps, _) =>
            steps.Where(c => !Schedule.IsEnvironmentAction(program, c)).ToArray()));
        Assert.True(report is not null, "the replay law did not catch a shrinker that does not re-run its candidates");
        output.WriteLine(report);
    }

    public static Property ShrinkingNeverGrows(Func<Schedule, IEnumerable<Schedule>> candidates) =>
        Prop.ForAll(OrderingGen.Arbitrary(), Arb.From(Gen.Choose(0, int.MaxValue)), (ordering, seed) =>
        {
            var program = CompiledOrdering.Compile(ordering);
            foreach (var schedule in Steps.Sampled(program, seed, 100, 4))
            {
                var run = Executor.Run(program, schedule);
                if (run.Violation is not { } v) continue;
                string? failure = null;
                int offered = 0;
                foreach (var c in candidates(schedule).Take(200))
                {
                    offered++;
                    if (c.EnvironmentActions > schedule.EnvironmentActions || c.Count > schedule.Count)
                    {
                        failure = $"a candidate has {c.EnvironmentActions} environment actions and {c.Count} steps, the schedule {schedule.EnvironmentActions} and {schedule.Count}:\n{c}";
                        break;
                    }
                }
                var shrunk = new Shrinker(program, 2_000).Shrink(schedule.Steps.Items.AsSpan(), v.Id);
                var result = new Schedule(program, [.. shrunk]);
                if (failure is null && (result.EnvironmentActions > schedule.EnvironmentActions || result.Count > schedule.Count))
                    failure = $"the shrunk schedule has {result.EnvironmentActions} environment actions and {result.Count} steps, the schedule {schedule.EnvironmentActions} and {schedule.Count}";
                return (failure is null).Label(failure ?? "shrinking never grows a schedule")
                    .Classify(result.EnvironmentActions < schedule.EnvironmentActions, "environment actions removed")
                    .Classify(result.Count < schedule.Count, "steps removed")
                    .Classify(offered == 0, "no candidates")
                    .Collect(v.Name);
            }
            return true.ToProperty().Classify(true, "no violation in 100 schedules");
        });

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property ShrinkingNeverIncreasesEnvironmentActionsOrSteps() => ShrinkingNeverGrows(s => ScheduleGen.Shrink(s));

    [Fact]
    public void TheNeverGrowsLawCatchesAMoveThatCopiesInsteadOfMoving()
    {
        // a planted bug: "move step i later" inserts a copy of the step at its new place and keeps the original
        string? report = Falsify.Run(ShrinkingNeverGrows(s =>
        {
            var steps = s.Steps.Items;
            return Enumerable.Range(0, steps.Length).Select(i => new Schedule(s.Program, steps.Insert(Math.Min(steps.Length, i + 2), steps[i])));
        }));
        Assert.True(report is not null, "the never-grows law did not catch a move that copies");
        output.WriteLine(report);
    }

    public static Property OrderingShrinkCandidatesAreSmallerValidAndBalanced(Func<Ordering, IEnumerable<Ordering>> shrink) =>
        Prop.ForAll(OrderingGen.Arbitrary(), ordering =>
        {
            string text = OrderingPrinter.Print(ordering);
            int offered = 0;
            foreach (var candidate in shrink(ordering).Take(300))
            {
                offered++;
                string printed = OrderingPrinter.Print(candidate);
                if (printed.Length > text.Length) return false.Label($"a candidate is longer:\n{printed}");
                if (printed == text) return false.Label("a candidate is the ordering itself");
                if (candidate.Cpus > ordering.Cpus || candidate.Devices.Count > ordering.Devices.Count || candidate.Threads.Count > ordering.Threads.Count)
                    return false.Label($"a candidate grew:\n{printed}");
                if (!NotifiersBalanced(candidate)) return false.Label($"a candidate's notifier start/end do not match:\n{printed}");
                _ = CompiledOrdering.Compile(candidate);
            }
            return true.ToProperty()
                .Classify(offered == 0, "no candidates")
                .Collect($"candidates {(offered < 10 ? "< 10" : offered < 50 ? "10-49" : ">= 50")}");
        });

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property OrderingShrinkCandidatesAreSmallerValidOrderingsWithMatchedNotifiers() =>
        OrderingShrinkCandidatesAreSmallerValidAndBalanced(o => OrderingShrinker.Shrink(o));

    [Fact]
    public void TheOrderingShrinkLawCatchesAShrinkerThatDropsAnyLine()
    {
        // a planted bug: the shrinker drops any op line the parser accepts, notifier brackets included
        string? report = Falsify.Run(OrderingShrinkCandidatesAreSmallerValidAndBalanced(DropAnyLine));
        Assert.True(report is not null, "the ordering-shrink law did not catch a shrinker that unbalances notifiers");
        output.WriteLine(report);
    }

    /// <summary>Shrinks as FsCheck does: takes the first candidate that still fails, until none does.</summary>
    private static Ordering Greedy(Ordering ordering, Func<Ordering, bool> fails, Func<Ordering, IEnumerable<Ordering>> shrink)
    {
        for (int rounds = 0; rounds < 1000; rounds++)
        {
            var next = shrink(ordering).FirstOrDefault(fails);
            if (next is null) return ordering;
            ordering = next;
        }
        return ordering;
    }

    /// <summary>Law 15: for a failure that needs one op (here: "the ordering has no <c>flush_tlb_mm</c>"), the
    /// ordering shrinker reaches the smallest ordering: one thread holding that one op, one page, no CPU, no
    /// secondary, no other header than kernel and arch.</summary>
    public static Property ShrinksToTheSmallestOrdering(Func<Ordering, IEnumerable<Ordering>> shrink) =>
        Prop.ForAll(Arb.From(OrderingGen.Ordering(new OrderingShape { Emphasis = ["flush_tlb_mm"] }), _ => []), ordering =>
        {
            static bool HasFlushTlbMm(Ordering o) => o.Threads.Any(t => t.Ops.Any(op => op.Code == OpCode.FlushTlbMm && op.If is null));
            if (!HasFlushTlbMm(ordering)) return true.ToProperty().Classify(true, "no flush_tlb_mm to keep");
            var small = Greedy(ordering, HasFlushTlbMm, shrink);
            string printed = OrderingPrinter.Print(small);
            bool minimal = small.Threads.Count == 1 && small.Threads[0].Ops.Count == 1 && small.Pages == 1 && small.Cpus == 0
                && small.Devices.Count == 0 && small.Shadows.Count == 0 && small.Headers.Count == 4;
            return minimal.Label($"shrunk to\n{printed}")
                .Classify(ordering.Threads.Count > 1, "from several threads")
                .Classify(ordering.Devices.Count + ordering.Shadows.Count > 0, "from an ordering with secondaries")
                .Collect($"from {(ordering.Threads.Sum(t => t.Ops.Count) < 10 ? "< 10" : ">= 10")} ops");
        });

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property TheOrderingShrinkerReachesTheSmallestOrderingThatStillFails() => ShrinksToTheSmallestOrdering(o => OrderingShrinker.Shrink(o));

    [Fact]
    public void TheSmallestOrderingLawCatchesAShrinkerThatNeverDropsAThread()
    {
        // a planted bug: the thread-dropping pass is missing (candidates that drop a thread are filtered out)
        string? report = Falsify.Run(ShrinksToTheSmallestOrdering(o => OrderingShrinker.Shrink(o).Where(c => c.Threads.Count == o.Threads.Count)));
        Assert.True(report is not null, "the smallest-ordering law did not catch a shrinker that keeps every thread");
        output.WriteLine(report);
    }

    private static IEnumerable<Ordering> DropAnyLine(Ordering ordering)
    {
        var lines = OrderingPrinter.Print(ordering).Split('\n');
        for (int k = 0; k < lines.Length; k++)
        {
            if (!lines[k].StartsWith(OrderingPrinter.Indent, StringComparison.Ordinal)) continue;
            var parsed = OrderingParser.Parse(string.Join("\n", lines.Where((_, j) => j != k)), OrderingGen.FileName);
            if (parsed.Ok) yield return parsed.Ordering!;
        }
    }

    /// <summary>Each thread's starts and ends pair up LIFO with equal ranges, and none is left open.</summary>
    private static bool NotifiersBalanced(Ordering ordering)
    {
        foreach (var thread in ordering.Threads)
        {
            var open = new Stack<string>();
            foreach (var op in thread.Ops)
            {
                if (op.If is not null) continue;
                if (op.Code == OpCode.InvalidateRangeStart) open.Push(op.Range!.ToString());
                else if (op.Code is OpCode.InvalidateRangeEnd or OpCode.InvalidateRangeOnlyEnd
                    && (open.Count == 0 || open.Pop() != op.Range!.ToString())) return false;
            }
            if (open.Count > 0) return false;
        }
        return true;
    }
}
