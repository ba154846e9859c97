using Checker.Model;

namespace Checker.Exploration;

/// <summary>
/// The cost counters reported for an ordering (DESIGN §3.5): measured on one canonical, deterministic run so
/// that two orderings of the same path (today's and a patch's) compare like for like — every CPU reads every
/// page, every device prefetches every page and every shadow faults every page in (all translations warm),
/// then the threads run one after the other in file order.
/// </summary>
internal static class CostProfile
{
    public static Costs Of(CompiledOrdering program) => Run(program).Costs;

    /// <summary>The canonical schedule (its costs are <see cref="Of"/>).</summary>
    public static Schedule CanonicalSchedule(CompiledOrdering program) => Run(program).Schedule;

    private static (Costs Costs, Schedule Schedule) Run(CompiledOrdering program)
    {
        var machine = new Machine(program);
        machine.Reset(Executor.UnlimitedBudget);
        var steps = new List<Choice>();
        for (int a = program.FirstGeneratedActor; a < program.Actors.Length; a++)
        {
            var actor = program.Actors[a];
            for (int p = 0; p < program.Pages; p++)
            {
                switch (actor.Kind)
                {
                    case ActorKind.Cpu: Take(machine, steps, Choice.Env(a, StepAction.Read, p)); break;
                    case ActorKind.Device: Take(machine, steps, Choice.Env(a, StepAction.Prefetch, p)); break;
                    case ActorKind.Shadow:
                        Take(machine, steps, Choice.Env(a, StepAction.Fault, p));
                        Take(machine, steps, Choice.Env(a, StepAction.Step, p));
                        Take(machine, steps, Choice.Env(a, StepAction.Step, p));
                        break;
                }
            }
        }
        for (int t = 0; t < program.Threads.Length; t++)
            while (machine.ThreadEnabled(t)) Take(machine, steps, Choice.Thread(t));
        return (machine.Costs, new Schedule(program, [.. steps]));
    }

    private static void Take(Machine machine, List<Choice> steps, Choice c)
    {
        if (!machine.CanStep(c)) return;
        machine.Step(c);
        steps.Add(c);
    }
}
