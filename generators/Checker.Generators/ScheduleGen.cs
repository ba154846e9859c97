using Checker.Exploration;
using Checker.Model;
using FsCheck;
using FsCheck.Fluent;

namespace Checker.Generators;

/// <summary>
/// FsCheck generators for schedules over a compiled ordering. A generated schedule is what the engine's
/// random or PCT sampler picks for a seed drawn from FsCheck's random source: it only ever takes enabled
/// choices (locks, <c>wait_pte</c>, shadow <c>read_begin</c>, the environment budget), stops at the first
/// violation, and is reproduced by FsCheck's replay seed. The shrinker is the engine's domain shrinker.
/// </summary>
public static class ScheduleGen
{
    public static Gen<Schedule> For(CompiledOrdering program, int bound = ExplorationOptions.DefaultBound) =>
        from high in Gen.Choose(int.MinValue, int.MaxValue)
        from low in Gen.Choose(int.MinValue, int.MaxValue)
        from pct in Gen.Elements(false, true)
        select Sample(program, ((ulong)(uint)high << 32) | (uint)low, pct, bound);

    /// <summary>The schedule the sampler takes for one seed (deterministic).</summary>
    public static Schedule Sample(CompiledOrdering program, ulong seed, bool pct, int bound)
    {
        var sampler = new ScheduleSampler(program, bound);
        sampler.Run(pct ? StrategyKind.Pct : StrategyKind.Random, seed, bound, ExplorationOptions.DefaultPctDepth);
        return new Schedule(program, [.. sampler.Steps.AsSpan(0, sampler.Length)]);
    }

    /// <summary>
    /// Shrink candidates, best first, each strictly smaller than <paramref name="schedule"/> in (environment
    /// actions, context switches, steps) so shrinking always ends: chunks of environment actions removed,
    /// then single ones, then steps moved later to join their actor's next run. Kernel steps are never
    /// dropped. At most <paramref name="limit"/> candidates.
    /// </summary>
    public static IEnumerable<Schedule> Shrink(Schedule schedule, int limit = 200)
    {
        var program = schedule.Program;
        var shrinker = new Shrinker(program);
        var current = schedule.Steps.Items.ToArray();
        var key = Key(schedule);
        int n = 0;
        foreach (var candidate in shrinker.Candidates(current))
        {
            var s = new Schedule(program, [.. candidate]);
            if (Compare(Key(s), key) >= 0) continue;
            yield return s;
            if (++n >= limit) yield break;
        }
    }

    public static Arbitrary<Schedule> Arbitrary(CompiledOrdering program, int bound = ExplorationOptions.DefaultBound) =>
        Arb.From(For(program, bound), s => Shrink(s));

    private static (int, int, int) Key(Schedule s) => (s.EnvironmentActions, s.ContextSwitches, s.Count);

    private static int Compare((int, int, int) a, (int, int, int) b) =>
        a.Item1 != b.Item1 ? a.Item1.CompareTo(b.Item1) : a.Item2 != b.Item2 ? a.Item2.CompareTo(b.Item2) : a.Item3.CompareTo(b.Item3);
}
