using Checker.Exploration;
using Checker.Generators;
using Checker.Invariants;
using Checker.Language;
using Checker.Model;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using Checker.Vocabulary;

namespace Checker.Properties.Exploration;

/// <summary>Laws of exploration over generated orderings and schedules.</summary>
public class ExplorationProperties
{
    private static readonly ExplorationOptions Small = new()
    {
        Strategy = StrategyKind.Auto,
        Bound = 2,
        Schedules = 300,
        StateLimit = 20_000,
        ShrinkBudget = 2_000,
    };

    /// <summary>What must be equal between two runs: verdict, explored counts and the counterexamples' traces.</summary>
    private static string Fingerprint(OrderingResult r)
    {
        var parts = new List<string> { r.Met.ToString(), r.Schedules.ToString(), r.States.ToString(), r.Complete.ToString() };
        foreach (var (id, cx) in r.Counterexamples) parts.Add(Invariant.NameOf(id) + "\n" + cx.Schedule + cx.Origin);
        return string.Join("\n", parts);
    }

    [Property(MaxTest = 60, QuietOnSuccess = true)]
    public Property TheSameSeedGivesTheSameResultWithOneJobOrTwo() =>
        Prop.ForAll(OrderingGen.Arbitrary(), Arb.From(Gen.Choose(0, int.MaxValue)), (ordering, seed) =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var options = Small with { Seed = (ulong)seed };
            var first = Explorer.Check(program, "g.order", options);
            var again = Explorer.Check(program, "g.order", options);
            var twoJobs = Explorer.Check(program, "g.order", options with { Jobs = 2 });
            return (Fingerprint(first) == Fingerprint(again)).Label("same seed, same result")
                .And((Fingerprint(first) == Fingerprint(twoJobs)).Label("--jobs 2 gives the result of --jobs 1"))
                .Classify(first.Found.Count > 0, "found a violation")
                .Classify(first.Complete, "exhaustive phase complete");
        });

    [Property(MaxTest = 100, QuietOnSuccess = true)]
    public Property ShrinkingNeverLosesTheViolationAndNeverGrowsTheSchedule() =>
        Prop.ForAll(OrderingGen.Arbitrary(), Arb.From(Gen.Choose(0, int.MaxValue)), (ordering, seed) =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var sampler = new ScheduleSampler(program, 4);
            for (int k = 0; k < 200; k++)
            {
                uint violated = sampler.Run(k % 2 == 0 ? StrategyKind.Random : StrategyKind.Pct, Rng.Derive((ulong)seed, k), 4, 3);
                if (violated == 0) continue;
                var id = (InvariantId)System.Numerics.BitOperations.TrailingZeroCount(violated);
                var original = new Schedule(program, [.. sampler.Steps.AsSpan(0, sampler.Length)]);
                var shrunk = new Schedule(program, [.. new Shrinker(program, 5_000).Shrink(original.Steps.Items.AsSpan(), id)]);
                var run = Executor.Run(program, shrunk);
                return (run.Violation?.Id == id).Label($"the shrunk schedule still violates {Invariant.NameOf(id)} first")
                    .And((shrunk.Count <= original.Count).Label("never longer"))
                    .And((shrunk.EnvironmentActions <= original.EnvironmentActions).Label("never more environment actions"))
                    .And((run.Violation!.Step == shrunk.Count - 1).Label("ends at the violating step"))
                    .Classify(shrunk.EnvironmentActions < original.EnvironmentActions, "dropped environment actions")
                    .Classify(shrunk.ContextSwitches < original.ContextSwitches, "fewer context switches")
                    .Collect(Invariant.NameOf(id));
            }
            return true.ToProperty().Classify(true, "no violation in 200 schedules");
        });

    [Property(MaxTest = 50, QuietOnSuccess = true)]
    public Property ExhaustiveSearchCountsEveryDistinctStateOnce() =>
        Prop.ForAll(OrderingGen.Arbitrary(), ordering =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var search = new ExhaustiveExplorer(program, symmetry: false); // a reduced search stores fewer (SymmetryLaws)
            search.Run(2, 50_000, CancellationToken.None);
            long naive = NaiveDistinctStates(program, 2, 50_000);
            return (!search.Complete || naive < 0 || search.States == naive)
                .Label($"hashed search saw {search.States} states, a search keyed by full state contents {naive}")
                .Classify(search.Complete, "complete");
        });

    /// <summary>A slow search keyed by the full state contents (no hashing, no inert-choice pruning).</summary>
    private static long NaiveDistinctStates(CompiledOrdering program, int bound, int limit)
    {
        var machine = new Machine(program);
        var best = new Dictionary<string, int>();
        static string Key(ModelState s) => string.Join(",", s.W) + "|" + string.Join(",", s.I);
        var stack = new Stack<(ModelState State, int Env, int Steps)>();
        machine.Reset(bound);
        var root = new ModelState(program);
        root.CopyFrom(machine.State);
        best[Key(root)] = bound;
        stack.Push((root, bound, 0));
        var choices = new Choice[machine.MaxChoices];
        while (stack.Count > 0)
        {
            var (state, env, steps) = stack.Pop();
            machine.Restore(state, env, steps);
            int n = machine.EnabledChoices(choices);
            for (int c = 0; c < n; c++)
            {
                machine.Restore(state, env, steps);
                if (machine.Step(choices[c]) != 0) continue;
                string key = Key(machine.State);
                if (best.TryGetValue(key, out int seen) && seen >= machine.EnvRemaining) continue;
                best[key] = machine.EnvRemaining;
                if (best.Count > limit) return -1;
                var copy = new ModelState(program);
                copy.CopyFrom(machine.State);
                stack.Push((copy, machine.EnvRemaining, machine.Steps));
            }
        }
        return best.Count;
    }

    [Property(MaxTest = 100, QuietOnSuccess = true)]
    public Property EveryScheduleReplaysToTheSameResultAndItsTracePrintsBack() =>
        Prop.ForAll(OrderingGen.Arbitrary(), Arb.From(Gen.Choose(0, int.MaxValue)), (ordering, seed) =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var schedule = ScheduleGen.Sample(program, (ulong)seed, seed % 2 == 0, 4);
            var first = Executor.Run(program, schedule);
            var (reread, diagnostics) = Schedule.Parse(program, schedule.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), "t", 1);
            var second = reread is null ? null : Executor.Run(program, reread);
            return (diagnostics.IsEmpty && reread!.Equals(schedule)).Label("the trace form parses back to the same schedule")
                .And((second is not null && !second.Diverged && second.Violation?.Id == first.Violation?.Id && second.StepsRun == first.StepsRun)
                    .Label("and replays to the same result"))
                .Classify(first.Violation is not null, "violating");
        });

    [Property(MaxTest = 200, QuietOnSuccess = true)]
    public Property GeneratedOrderingsPrintToTextThatParsesBackToThemselves() =>
        Prop.ForAll(OrderingGen.Arbitrary(), ordering =>
        {
            var reparsed = OrderingParser.Parse(OrderingPrinter.Print(ordering), "generated.order");
            return (reparsed.Ok && reparsed.Ordering! == ordering).Label("parse(print(o)) == o");
        });
}
