using System.Collections.Immutable;
using Checker.Invariants;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>
/// Finds a schedule that distinguishes two orderings of the same path (<c>checker diff</c>): each ordering's
/// minimal counterexamples are mapped onto the other (actors matched by name), run there until every thread
/// has returned, and kept when the other ordering does not violate the same invariant. Invariants found on
/// one side only are tried first, then those found on both; a schedule that violates nothing on the other
/// side is preferred to one that violates something else there. Both runs are checked with
/// <see cref="Executor"/>.
/// </summary>
internal static class Distinguisher
{
    public static Distinction? Find(OrderingResult a, OrderingResult b, List<string> notes)
    {
        Distinction? fallback = null;
        foreach (var (id, onA) in Candidates(a, b))
        {
            var (from, to) = onA ? (a, b) : (b, a);
            var cx = from.Counterexamples[id];
            var own = Executor.Run(from.Program, cx.Schedule);
            if (own.Violation is null || own.Violation.Id != id)
                throw new InvalidOperationException($"the {Invariant.NameOf(id)} counterexample of {from.Name} does not replay on it");
            string side = onA ? "A" : "B", otherSide = onA ? "B" : "A";
            var mapped = Transfer(cx.Schedule, to.Program, out string? why);
            if (mapped is null)
            {
                notes.Add($"{side}'s {Invariant.NameOf(id)} counterexample does not map onto {otherSide}: {why}");
                continue;
            }
            var run = Executor.Run(to.Program, mapped);
            if (run.Diverged)
                throw new InvalidOperationException($"a transferred schedule diverged on {to.Name}: {run.Divergence}");
            if (run.Violation is { } v && v.Id == id)
            {
                notes.Add($"{side}'s {Invariant.NameOf(id)} counterexample violates it on {otherSide} too (step {v.Step + 1})");
                continue;
            }
            var found = new Distinction(id, onA, cx, mapped, run);
            if (found.Clean) return found;
            notes.Add($"{side}'s {Invariant.NameOf(id)} counterexample violates {run.Violation!.Name} on {otherSide} instead");
            fallback ??= found;
        }
        return fallback;
    }

    /// <summary>The (invariant, on A?) pairs to try: found on one side only first, A before B, then found on both.</summary>
    private static List<(InvariantId Id, bool OnA)> Candidates(OrderingResult a, OrderingResult b)
    {
        var first = new List<(InvariantId, bool)>();
        var then = new List<(InvariantId, bool)>();
        foreach (var id in a.Counterexamples.Keys) (b.Counterexamples.ContainsKey(id) ? then : first).Add((id, true));
        foreach (var id in b.Counterexamples.Keys) (a.Counterexamples.ContainsKey(id) ? then : first).Add((id, false));
        first.AddRange(then);
        return first;
    }

    /// <summary>
    /// Maps <paramref name="schedule"/> onto <paramref name="target"/> by actor name and runs it there: a step
    /// of a thread that has already returned on the target is left out; the run stops at the target's first
    /// violation; otherwise the threads are run to their ends in file order (no further environment actions).
    /// Null, with the reason, when an actor or page does not exist on the target or a step cannot be taken.
    /// </summary>
    public static Schedule? Transfer(Schedule schedule, CompiledOrdering target, out string? why)
    {
        var source = schedule.Program;
        var machine = new Machine(target);
        machine.Reset(Executor.UnlimitedBudget);
        var steps = ImmutableArray.CreateBuilder<Choice>();
        why = null;
        for (int k = 0; k < schedule.Count; k++)
        {
            var c = schedule.Steps[k];
            var actor = source.Actors[c.Actor];
            int index = target.ActorIndex(actor.Name);
            if (index < 0 || target.Actors[index].Kind != actor.Kind)
            {
                why = $"step {k + 1}: {actor.Name} is not an actor of the same kind there";
                return null;
            }
            if (c.Page >= target.Pages)
            {
                why = $"step {k + 1}: page {c.Page} is outside its {target.Pages} pages";
                return null;
            }
            var mapped = c with { Actor = (byte)index };
            if (actor.Kind == ActorKind.Thread && machine.ThreadDone(target.Actors[index].Thread)) continue;
            if (!machine.CanStep(mapped))
            {
                why = $"step {k + 1}: {machine.WhyNot(mapped)}";
                return null;
            }
            steps.Add(mapped);
            if (machine.Step(mapped) != 0) return new Schedule(target, steps.ToImmutable());
        }
        for (bool moved = true; moved;)
        {
            moved = false;
            for (int t = 0; t < target.Threads.Length; t++)
            {
                while (machine.ThreadEnabled(t))
                {
                    var c = Choice.Thread(ActorOfThread(target, t));
                    steps.Add(c);
                    moved = true;
                    if (machine.Step(c) != 0) return new Schedule(target, steps.ToImmutable());
                }
            }
        }
        return new Schedule(target, steps.ToImmutable());
    }

    private static int ActorOfThread(CompiledOrdering program, int thread)
    {
        for (int a = 0; a < program.Actors.Length; a++)
            if (program.Actors[a].Kind == ActorKind.Thread && program.Actors[a].Thread == thread) return a;
        throw new InvalidOperationException($"thread {thread} has no actor");
    }
}
