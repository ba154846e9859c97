using Checker.Exploration;
using Checker.Generators;
using Checker.Model;

namespace Checker.Properties.Laws;

/// <summary>The machine's own step, and the schedules the schedule-driven laws run.</summary>
public static class Steps
{
    internal static readonly StepFunction Real = (machine, choice) => machine.Step(choice);

    /// <summary>The schedules a law runs for one generated case: what the random and PCT samplers pick for
    /// <paramref name="count"/> seeds derived from <paramref name="seed"/>, with up to <paramref name="bound"/>
    /// environment actions.</summary>
    public static IEnumerable<Schedule> Sampled(CompiledOrdering program, int seed, int count, int bound)
    {
        for (int k = 0; k < count; k++)
            yield return ScheduleGen.Sample(program, Rng.Derive((ulong)(uint)seed, k), k % 2 == 1, bound);
    }
}
