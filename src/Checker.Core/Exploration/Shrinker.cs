using System.Numerics;
using Checker.Invariants;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>
/// Shrinks a violating schedule to a minimal one (DESIGN §4): fewest generated environment actions, then
/// fewest context switches, then fewest steps. Thread steps (kernel ops, explicit threads) are never removed.
/// Passes: cut everything after the violating step; delete environment actions in chunks, halving the chunk
/// size down to single actions (a shadow fault's three steps go together); then move a step, or the run it
/// starts, later — to join the next run of the same actor, or past the violation when the actor does not
/// move again (another thread's ops that the violation does not need). Each candidate is re-executed and kept only if it still violates the
/// same invariant first. Deterministic; bounded by a number of executions. Used by the CLI strategies and,
/// through the generators project, as FsCheck's shrinker.
/// </summary>
internal sealed class Shrinker
{
    private readonly CompiledOrdering program;
    private readonly Machine machine;
    private readonly int budget;
    private int runs;

    public Shrinker(CompiledOrdering program, int budget = 20_000)
    {
        this.program = program;
        machine = new Machine(program);
        this.budget = budget;
    }

    /// <summary>Executions spent by the last <see cref="Shrink"/>.</summary>
    public int Runs => runs;

    /// <summary>The minimal schedule found; <paramref name="steps"/> must violate <paramref name="id"/> first.</summary>
    public Choice[] Shrink(ReadOnlySpan<Choice> steps, InvariantId id)
    {
        runs = 0;
        var best = steps.ToArray();
        int length = Violates(best, id);
        if (length < 0) throw new ArgumentException($"the schedule does not violate {Invariant.NameOf(id)} first", nameof(steps));
        best = best[..length];
        bool improved = true;
        while (improved && runs < budget)
        {
            improved = DeleteEnvironment(ref best, id);
            improved |= MoveLater(ref best, id);
        }
        return best;
    }

    /// <summary>Every shrink candidate of a schedule, best first (for FsCheck's shrinker interface): the
    /// deletions and moves the passes above would try.</summary>
    public IEnumerable<Choice[]> Candidates(Choice[] steps)
    {
        var units = EnvironmentUnits(steps);
        for (int chunk = Math.Max(1, units.Count / 2); chunk >= 1; chunk /= 2)
        {
            for (int start = 0; start + chunk <= units.Count; start += chunk)
                yield return WithoutUnits(steps, units, start, chunk);
            if (chunk == 1) break;
        }
        for (int i = 0; i < steps.Length; i++)
        {
            int j = NextRunOf(steps, i);
            if (j > i + 1) yield return Move(steps, i, 1, j);
        }
    }

    /// <summary>Runs the candidate; the length of its violating prefix when it violates <paramref name="id"/>
    /// first, else -1.</summary>
    public int Violates(Choice[] steps, InvariantId id)
    {
        runs++;
        machine.Reset(Executor.UnlimitedBudget);
        for (int k = 0; k < steps.Length; k++)
        {
            if (!machine.CanStep(steps[k])) return -1;
            uint violated = machine.Step(steps[k]);
            if (violated == 0) continue;
            return BitOperations.TrailingZeroCount(violated) == (int)id ? k + 1 : -1;
        }
        return -1;
    }

    private bool DeleteEnvironment(ref Choice[] best, InvariantId id)
    {
        bool any = false;
        var units = EnvironmentUnits(best);
        int chunk = Math.Max(1, units.Count / 2);
        while (chunk >= 1 && units.Count > 0 && runs < budget)
        {
            bool removed = false;
            for (int start = 0; start + chunk <= units.Count && runs < budget; start += chunk)
            {
                var candidate = WithoutUnits(best, units, start, chunk);
                int length = Violates(candidate, id);
                if (length < 0) continue;
                best = candidate[..length];
                units = EnvironmentUnits(best);
                removed = any = true;
                break;
            }
            if (!removed) chunk /= 2;
        }
        return any;
    }

    /// <summary>Moves a step — or the whole run of steps it starts — later, to just before the next run of
    /// the same actor; kept when the schedule still violates and is better.</summary>
    private bool MoveLater(ref Choice[] best, InvariantId id)
    {
        bool any = false;
        for (int i = 0; i < best.Length && runs < budget; i++)
        {
            int j = NextRunOf(best, i);
            if (j <= i + 1) continue;
            int runEnd = i + 1;
            while (runEnd < best.Length && best[runEnd].Actor == best[i].Actor) runEnd++;
            bool moved = false;
            for (int count = runEnd - i; count >= 1 && !moved && runs < budget; count = count > 1 ? 1 : 0)
            {
                var candidate = Move(best, i, count, j);
                int length = Violates(candidate, id);
                if (length < 0) continue;
                candidate = candidate[..length];
                if (!Better(candidate, best)) continue;
                best = candidate;
                moved = any = true;
            }
            if (moved) i = -1; // start over: earlier steps may now join runs too
        }
        return any;
    }

    private bool Better(Choice[] a, Choice[] b)
    {
        int ea = EnvironmentActions(a), eb = EnvironmentActions(b);
        if (ea != eb) return ea < eb;
        int sa = ContextSwitches(a), sb = ContextSwitches(b);
        if (sa != sb) return sa < sb;
        return a.Length < b.Length;
    }

    private int EnvironmentActions(Choice[] steps)
    {
        int n = 0;
        foreach (var c in steps)
            if (Schedule.IsEnvironmentAction(program, c)) n++;
        return n;
    }

    private static int ContextSwitches(Choice[] steps)
    {
        int n = 0;
        for (int k = 1; k < steps.Length; k++)
            if (steps[k].Actor != steps[k - 1].Actor) n++;
        return n;
    }

    /// <summary>Where moving step i later helps: just before the next run of its actor (joining it), or, when
    /// the actor does not move again, the end of the schedule — past the violation, so the counterexample no
    /// longer needs those steps (a thread's later ops are deferred, never dropped from its sequence).</summary>
    private static int NextRunOf(Choice[] steps, int i)
    {
        int k = i + 1;
        while (k < steps.Length && steps[k].Actor == steps[i].Actor) k++; // i's own run
        while (k < steps.Length && steps[k].Actor != steps[i].Actor) k++; // others
        return k;
    }

    /// <summary>Moves steps [i, i + count) to just before index j (j ≥ i + count; j = length: to the end).</summary>
    private static Choice[] Move(Choice[] steps, int i, int count, int j)
    {
        var result = new Choice[steps.Length];
        int n = 0;
        for (int k = 0; k < steps.Length; k++)
        {
            if (k >= i && k < i + count) continue;
            if (k == j)
                for (int m = i; m < i + count; m++) result[n++] = steps[m];
            result[n++] = steps[k];
        }
        if (j == steps.Length)
            for (int m = i; m < i + count; m++) result[n++] = steps[m];
        return result;
    }

    /// <summary>Groups of step indices that are deleted together: one generated action, or a shadow fault's
    /// begin with its continuations.</summary>
    private List<(int Start, int Count)> EnvironmentUnits(Choice[] steps)
    {
        var units = new List<(int, int)>();
        for (int k = 0; k < steps.Length; k++)
        {
            var c = steps[k];
            if (!program.Actors[c.Actor].IsGenerated || c.Action == StepAction.Step) continue;
            int count = 1;
            if (c.Action == StepAction.Fault)
            {
                for (int m = k + 1; m < steps.Length && count < 3; m++)
                    if (steps[m].Actor == c.Actor && steps[m].Action == StepAction.Step) count++;
            }
            units.Add((k, count));
        }
        return units;
    }

    private static Choice[] WithoutUnits(Choice[] steps, List<(int Start, int Count)> units, int first, int count)
    {
        var drop = new bool[steps.Length];
        for (int u = first; u < first + count; u++)
        {
            var (start, n) = units[u];
            drop[start] = true;
            int found = 1;
            for (int m = start + 1; m < steps.Length && found < n; m++)
            {
                if (steps[m].Actor == steps[start].Actor && steps[m].Action == StepAction.Step)
                {
                    drop[m] = true;
                    found++;
                }
            }
        }
        var result = new List<Choice>(steps.Length);
        for (int k = 0; k < steps.Length; k++)
            if (!drop[k]) result.Add(steps[k]);
        return result.ToArray();
    }
}
