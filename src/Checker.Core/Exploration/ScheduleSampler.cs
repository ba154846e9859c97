using Checker.Model;

namespace Checker.Exploration;

/// <summary>
/// The random and PCT hot loop: generates one schedule from a seed, running it as it goes, and stops at the
/// first violation. Everything is preallocated; a schedule costs no allocation. The steps taken are in
/// <see cref="Steps"/>[0..<see cref="Length"/>).
/// </summary>
internal sealed class ScheduleSampler
{
    private readonly Machine machine;
    private readonly CompiledOrdering program;
    private readonly Choice[] steps;
    private readonly int[] enabled;
    private readonly Choice[] choices;
    private readonly Choice[] lastEnv;
    private readonly int[] priority;
    private readonly int[] changePoints;
    private readonly int actorCount;

    public ScheduleSampler(CompiledOrdering program, int bound)
    {
        this.program = program;
        machine = new Machine(program);
        int ops = 0;
        foreach (var t in program.Threads) ops += t.OpCount;
        MaxLength = 3 * ops + 3 * bound + 8;
        steps = new Choice[MaxLength];
        actorCount = program.Actors.Length;
        enabled = new int[actorCount];
        choices = new Choice[Math.Max(1, machine.MaxChoices)];
        lastEnv = new Choice[actorCount];
        priority = new int[actorCount];
        changePoints = new int[16];
    }

    public Machine Machine => machine;

    public int MaxLength { get; }

    public Choice[] Steps => steps;

    public int Length { get; private set; }

    /// <summary>Generated environment actions in the last schedule.</summary>
    public int EnvironmentActions { get; private set; }

    /// <summary>Runs one schedule; returns the violated invariants of its last step as a bit set (0 = none).</summary>
    public uint Run(StrategyKind kind, ulong seed, int bound, int pctDepth)
    {
        var rng = new Rng(seed);
        machine.Reset(bound);
        for (int a = 0; a < actorCount; a++) lastEnv[a] = new Choice(byte.MaxValue, StepAction.Step, 0);
        bool pct = kind == StrategyKind.Pct;
        int changes = 0;
        if (pct) changes = SetUpPriorities(ref rng, pctDepth);
        int length = 0;
        uint violated = 0;
        while (length < MaxLength)
        {
            int n = 0;
            for (int a = 0; a < actorCount; a++)
                if (machine.ActorEnabled(a)) enabled[n++] = a;
            if (n == 0) break;
            int actor;
            if (pct)
            {
                actor = enabled[0];
                for (int k = 1; k < n; k++)
                    if (priority[enabled[k]] > priority[actor]) actor = enabled[k];
                for (int c = 0; c < changes; c++)
                    if (changePoints[c] == length) priority[actor] = c + 1; // d-1 change points lower it below all initial priorities
            }
            else actor = enabled[rng.Below(n)];
            var choice = Pick(actor, ref rng);
            steps[length++] = choice;
            violated = machine.Step(choice);
            if (violated != 0) break;
        }
        Length = length;
        EnvironmentActions = bound - machine.EnvRemaining;
        return violated;
    }

    /// <summary>PCT: distinct random priorities d..d+n-1, and d-1 change points over the schedule's length.</summary>
    private int SetUpPriorities(ref Rng rng, int depth)
    {
        for (int a = 0; a < actorCount; a++) priority[a] = depth + a;
        for (int a = actorCount - 1; a > 0; a--)
        {
            int j = rng.Below(a + 1);
            (priority[a], priority[j]) = (priority[j], priority[a]);
        }
        int changes = Math.Min(Math.Max(depth - 1, 0), changePoints.Length);
        int estimate = Math.Max(1, MaxLength / 2);
        for (int c = 0; c < changes; c++) changePoints[c] = rng.Below(estimate);
        return changes;
    }

    /// <summary>A thread runs its next op; an environment actor picks uniformly among its actions, or half the
    /// time repeats its previous one (repeated accesses make fault loops and re-reads likely).</summary>
    private Choice Pick(int actor, ref Rng rng)
    {
        var a = program.Actors[actor];
        if (a.Kind == ActorKind.Thread) return Choice.Thread(actor);
        var last = lastEnv[actor];
        if (last.Actor != byte.MaxValue && rng.Below(2) == 0 && machine.CanStep(last)) return last;
        int n = machine.ActorChoices(actor, choices);
        var choice = choices[rng.Below(n)];
        if (choice.Action != StepAction.Step) lastEnv[actor] = choice;
        return choice;
    }
}
