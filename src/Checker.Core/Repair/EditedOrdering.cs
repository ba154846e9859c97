using System.Collections.Immutable;
using Checker.Exploration;
using Checker.Language;
using Checker.Model;
using Checker.Text;
using Checker.Vocabulary;

namespace Checker.Repair;

/// <summary>An ordering with a set of <see cref="RepairEdit"/>s applied, and for each kernel thread where each of its
/// original ops went (<see cref="Position"/>), so a schedule of another version of the ordering can be replayed on
/// this one (<see cref="Removes"/>).</summary>
internal sealed class EditedOrdering
{
    private EditedOrdering(Ordering ordering, int[][] position, bool[][] fresh, int helperChanges, int driverChanges)
    {
        DriverChanges = driverChanges;
        Ordering = ordering;
        Position = position;
        Fresh = fresh;
        HelperChanges = helperChanges;
    }

    /// <summary>Issue 15: the kernel helper changes the edits made (<c>patch</c> lines added).</summary>
    public int HelperChanges { get; }

    /// <summary>Issue 15: the driver changes the edits made (secondary header lines fixed).</summary>
    public int DriverChanges { get; }

    /// <summary>The edited ordering (its text is <see cref="OrderingPrinter.Print"/> of it).</summary>
    public Ordering Ordering { get; }

    /// <summary>Per thread, per original op: its index in the edited thread, or -1 when moved or removed (a moved op
    /// runs where it now stands, as a new op does).</summary>
    public int[][] Position { get; }

    /// <summary>Per thread, per edited op: whether it is new (inserted or moved) rather than an original op in place.</summary>
    public bool[][] Fresh { get; }

    /// <summary>The compiled program, or null when the edited text does not validate (say, an unbalanced notifier).</summary>
    public CompiledOrdering? Program { get; private set; }

    /// <summary>Applies <paramref name="edits"/> to <paramref name="original"/>; <paramref name="annotate"/>, when
    /// given, supplies the trailing comment of the line each edit adds or moves.</summary>
    public static EditedOrdering Apply(Ordering original, IReadOnlyList<RepairEdit> edits, Func<RepairEdit, string?>? annotate = null)
    {
        var threads = ImmutableArray.CreateBuilder<ThreadBlock>(original.Threads.Count);
        var positions = new int[original.Threads.Count][];
        var fresh = new bool[original.Threads.Count][];
        for (int t = 0; t < original.Threads.Count; t++)
        {
            var block = original.Threads[t];
            int n = block.Ops.Count;
            // lines to add before original op p (p = n: at the end), in the order: wrap ends, inserts and moves, wrap starts
            var before = new List<OpLine>[n + 1];
            for (int p = 0; p <= n; p++) before[p] = [];
            var gone = new bool[n];
            var replaced = new OpLine?[n];
            foreach (var e in Sorted(edits, t))
            {
                string? note = annotate?.Invoke(e);
                switch (e.Kind)
                {
                    case RepairEditKind.Insert: before[e.Position].Add(Note(e.Line!, note)); break;
                    case RepairEditKind.Move:
                        gone[e.From] = true;
                        before[e.Position].Add(Note(block.Ops[e.From], note));
                        break;
                    case RepairEditKind.Wrap:
                        before[e.End].Insert(0, Note(e.Closing!, note));
                        before[e.Position].Add(Note(e.Line!, note));
                        break;
                    case RepairEditKind.Remove: gone[e.From] = true; break;
                    case RepairEditKind.Replace: replaced[e.From] = Note(e.Line! with { Trivia = block.Ops[e.From].Trivia }, note); break;
                }
            }
            var ops = ImmutableArray.CreateBuilder<OpLine>();
            var isFresh = new List<bool>();
            var position = new int[n];
            for (int p = 0; p <= n; p++)
            {
                foreach (var line in before[p])
                {
                    ops.Add(line);
                    isFresh.Add(true);
                }
                if (p == n) break;
                if (gone[p])
                {
                    position[p] = -1;
                    continue;
                }
                position[p] = ops.Count;
                ops.Add(replaced[p] ?? block.Ops[p]);
                isFresh.Add(false);
            }
            threads.Add(block with { Ops = ops.ToImmutable() });
            positions[t] = position;
            fresh[t] = [.. isFresh];
        }
        var headers = RepairHelpers.Headers(original, edits, annotate, out int helperChanges, out int driverChanges); // issue 15
        return new EditedOrdering(original with { Headers = headers, Threads = threads.ToImmutable() }, positions, fresh, helperChanges, driverChanges);
    }

    /// <summary>Prints, re-parses (so every edit passes the validator: locks and notifiers balanced, ops available in
    /// the release) and compiles the edited ordering; false when it does not validate.</summary>
    public bool Compile(string file)
    {
        var parsed = OrderingParser.Parse(OrderingPrinter.Print(Ordering), file);
        if (!parsed.Ok) return false;
        Program = CompiledOrdering.Compile(parsed.Ordering!);
        return true;
    }

    /// <summary>Replays <paramref name="cex"/> here: its environment steps as they are, each step of an original op as
    /// the run of this thread up to that op (new ops go just before the next original op, or, in a second replay, just
    /// after the previous one), then every thread's trailing new ops. True when either replay violates nothing (with <paramref name="sameInvariantOnly"/>: nothing of the counterexample's invariant), i.e. these edits remove that counterexample (a
    /// replay that cannot go on — a blocked lock — counts as removed: it is no longer a schedule here; the
    /// verification search decides).</summary>
    public bool Removes(AbstractCounterexample cex, bool sameInvariantOnly = false) =>
        Clean(cex, false, sameInvariantOnly) || Clean(cex, true, sameInvariantOnly);

    /// <summary>Replays <paramref name="cex"/> with this ordering's new ops run as late as possible (just before the
    /// next original op) or, <paramref name="eager"/>, as early (just after the previous one); true when nothing is
    /// violated.</summary>
    private bool Clean(AbstractCounterexample cex, bool eager, bool sameInvariantOnly)
    {
        var program = Program!;
        var steps = ImmutableArray.CreateBuilder<Choice>();
        var next = new int[Position.Length];
        foreach (var e in cex.Events)
        {
            if (e.Op < 0)
            {
                steps.Add(e.Choice);
                continue;
            }
            int t = e.Thread;
            if (e.Op >= Position[t].Length) continue;
            int at = Position[t][e.Op];
            while (at >= 0 && next[t] <= at)
            {
                steps.Add(Choice.Thread(e.Choice.Actor));
                next[t]++;
            }
            while (eager && next[t] < Fresh[t].Length && Fresh[t][next[t]])
            {
                steps.Add(Choice.Thread(e.Choice.Actor));
                next[t]++;
            }
        }
        for (int t = 0; t < Position.Length; t++)
        {
            int actor = ActorOf(program, t);
            if (next[t] == 0 && !Started(cex, t)) continue;
            while (next[t] < Fresh[t].Length && Fresh[t][next[t]])
            {
                steps.Add(Choice.Thread(actor));
                next[t]++;
            }
        }
        var run = Executor.Run(program, new Schedule(program, steps.ToImmutable()));
        return run.Violation is null || (sameInvariantOnly && run.Violation.Id != cex.Found.Id);
    }

    private static bool Started(AbstractCounterexample cex, int thread)
    {
        foreach (var e in cex.Events)
            if (e.Op >= 0 && e.Thread == thread) return true;
        return false;
    }

    private static int ActorOf(CompiledOrdering program, int thread)
    {
        for (int a = 0; a < program.Actors.Length; a++)
            if (program.Actors[a].Kind == ActorKind.Thread && program.Actors[a].Thread == thread) return a;
        return -1;
    }

    private static OpLine Note(OpLine line, string? note) =>
        note is null ? line : line with { Trivia = new Trivia(line.Trivia.Leading, line.Trivia.Trailing is { } old ? old + " " + note : note) };

    private static IEnumerable<RepairEdit> Sorted(IReadOnlyList<RepairEdit> edits, int thread)
    {
        var mine = new List<RepairEdit>();
        foreach (var e in edits)
            if (e.Thread == thread) mine.Add(e);
        mine.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return mine;
    }
}

/// <summary>A counterexample in terms of the original ordering: each step is an environment choice, or "thread T ran
/// its original op I" (steps of ops an edit added are left out: another edit set places its own).</summary>
internal sealed record AbstractCounterexample(EquatableArray<AbstractCounterexample.Event> Events, Counterexample Found, int Round)
{
    /// <summary>One step: <see cref="Op"/> &lt; 0 for an environment choice.</summary>
    internal readonly record struct Event(Choice Choice, int Thread, int Op);

    /// <summary>Reads <paramref name="cex"/>, found on <paramref name="edited"/>, back onto the original ops.</summary>
    public static AbstractCounterexample Of(Counterexample cex, EditedOrdering edited, int round)
    {
        var program = cex.Schedule.Program;
        var pc = new int[edited.Fresh.Length];
        var original = new int[edited.Fresh.Length][];
        for (int t = 0; t < original.Length; t++)
        {
            original[t] = new int[edited.Fresh[t].Length];
            Array.Fill(original[t], -1);
            for (int i = 0; i < edited.Position[t].Length; i++)
                if (edited.Position[t][i] >= 0) original[t][edited.Position[t][i]] = i;
        }
        var events = ImmutableArray.CreateBuilder<Event>();
        foreach (var c in cex.Schedule.Steps)
        {
            var actor = program.Actors[c.Actor];
            if (actor.Kind != ActorKind.Thread)
            {
                events.Add(new Event(c, -1, -1));
                continue;
            }
            int t = actor.Thread, k = pc[t]++;
            if (k < original[t].Length && original[t][k] >= 0) events.Add(new Event(c, t, original[t][k]));
        }
        return new AbstractCounterexample(events.ToImmutable(), cex, round);
    }
}
