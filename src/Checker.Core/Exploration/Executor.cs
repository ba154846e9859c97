using System.Collections.Immutable;
using System.Numerics;
using Checker.Invariants;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>
/// Runs an explicit schedule against a fresh state, checking every invariant after every step, and stops at
/// the first violation (DESIGN §1). A step that cannot be taken ends the run as a divergence, saying why.
/// </summary>
internal static class Executor
{
    /// <summary>Large enough that an explicit schedule is never cut short by the environment budget.</summary>
    public const int UnlimitedBudget = int.MaxValue / 2;

    public static RunResult Run(CompiledOrdering program, Schedule schedule) => Run(new Machine(program), schedule);

    public static RunResult Run(Machine machine, Schedule schedule)
    {
        machine.Reset(UnlimitedBudget);
        var steps = schedule.Steps;
        var expected = schedule.Expected;
        for (int k = 0; k < steps.Count; k++)
        {
            var choice = steps[k];
            if (!machine.CanStep(choice))
                return new RunResult(null, k, machine.Costs, k, $"step {k + 1} ({machine.Program.Actors[choice.Actor].Name}): {machine.WhyNot(choice)}", machine.AllThreadsDone);
            if (k < expected.Length && expected[k] is { Length: > 0 } text)
            {
                string actual = Schedule.StepText(machine, choice);
                string recorded = machine.Program.Actors[choice.Actor].Name + ": " + text;
                if (actual != recorded)
                    return new RunResult(null, k, machine.Costs, k, $"step {k + 1}: the trace says '{recorded}' but the ordering's next op is '{actual}'", machine.AllThreadsDone);
            }
            uint violated = machine.Step(choice);
            if (violated != 0)
                return new RunResult(MakeViolation(machine, violated, k), k + 1, machine.Costs, -1, null, machine.AllThreadsDone);
        }
        return new RunResult(null, steps.Count, machine.Costs, -1, null, machine.AllThreadsDone);
    }

    /// <summary>Builds the violation value for the bits a step returned (the lowest bit is the violation).</summary>
    public static Violation MakeViolation(Machine machine, uint violated, int step)
    {
        var first = (InvariantId)BitOperations.TrailingZeroCount(violated);
        var co = ImmutableArray.CreateBuilder<InvariantId>();
        for (uint rest = violated & (violated - 1); rest != 0; rest &= rest - 1)
            co.Add((InvariantId)BitOperations.TrailingZeroCount(rest));
        var site = machine.Site(first);
        string actor = site.Actor >= 0 ? machine.Program.Actors[site.Actor].Name : "?";
        return new Violation(first, step, actor, site.Page, co.ToImmutable(), StateSnapshot.Of(machine), machine.Describe(first));
    }
}
