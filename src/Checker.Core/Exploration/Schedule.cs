using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Checker.Language;
using Checker.Model;
using Checker.Text;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>
/// A schedule: the sequence of choices (which actor moves; for environment actors what and where) that a
/// strategy generates, the shrinker minimises and a <c>.trace</c> replays. <see cref="ToString"/> prints the
/// trace form, one step a line (<c>dev0: write 2</c>, <c>fork: pte_wrprotect 0 4</c>), which
/// <see cref="Parse"/> reads back. Equality is by the choices.
/// </summary>
public sealed class Schedule : IEquatable<Schedule>
{
    /// <summary>A schedule of <paramref name="program"/>: one choice per step, with an optional comment per step.</summary>
    public Schedule(CompiledOrdering program, ImmutableArray<Choice> steps, ImmutableArray<string?> expected = default)
    {
        Program = program;
        Steps = steps;
        Expected = expected.IsDefault ? ImmutableArray<string?>.Empty : expected;
    }

    /// <summary>The compiled ordering the schedule runs.</summary>
    public CompiledOrdering Program { get; }

    /// <summary>The choices, one per step.</summary>
    public EquatableArray<Choice> Steps { get; }

    /// <summary>For steps read from a trace: the op text the trace recorded (checked on replay), else empty.</summary>
    public ImmutableArray<string?> Expected { get; }

    /// <summary>The number of steps.</summary>
    public int Count => Steps.Count;

    /// <summary>Generated environment actions (what the budget counts): every generated step except a
    /// shadow fault's continuation.</summary>
    public int EnvironmentActions
    {
        get
        {
            int n = 0;
            foreach (var c in Steps)
                if (IsEnvironmentAction(Program, c)) n++;
            return n;
        }
    }

    /// <summary>Adjacent steps taken by different actors.</summary>
    public int ContextSwitches
    {
        get
        {
            int n = 0;
            for (int k = 1; k < Steps.Count; k++)
                if (Steps[k].Actor != Steps[k - 1].Actor) n++;
            return n;
        }
    }

    /// <summary>True when the choice is an environment action (a CPU or device access, a fault, a reuse) rather than a kernel thread's op.</summary>
    public static bool IsEnvironmentAction(CompiledOrdering program, Choice c) =>
        program.Actors[c.Actor].IsGenerated && c.Action != StepAction.Step;

    /// <inheritdoc/>
    public bool Equals(Schedule? other) => other is not null && Steps.Equals(other.Steps);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Schedule other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Steps.GetHashCode();

    /// <summary>The steps as trace lines, found by running them (an op's text depends on where its thread is).</summary>
    public IReadOnlyList<string> StepLines()
    {
        var machine = new Machine(Program);
        machine.Reset(int.MaxValue / 2);
        var lines = new List<string>(Steps.Count);
        foreach (var c in Steps)
        {
            lines.Add(StepText(machine, c));
            if (machine.CanStep(c)) machine.Step(c);
        }
        return lines;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var line in StepLines()) sb.Append(line).Append('\n');
        return sb.ToString();
    }

    /// <summary>The trace line of <paramref name="c"/> taken in the machine's current state.</summary>
    internal static string StepText(Machine machine, Choice c)
    {
        var program = machine.Program;
        var a = program.Actors[c.Actor];
        if (a.Kind == ActorKind.Thread)
        {
            if (machine.ThreadDone(a.Thread)) return a.Name + ": (returned)";
            int opIndex = machine.NextOpIndex(a.Thread);
            string text = program.OpText[opIndex];
            if (program.Ops[opIndex].Code == OpCode.Fault)
                text += PhaseSuffix(machine.State.I[machine.State.CtxPhase + machine.State.ThreadContext[a.Thread]]);
            if (program.Ops[opIndex].Code == OpCode.GupFast) // §7: an explicit walker's g2 and g3
                text += machine.ThreadGupPhase(a.Thread) switch { 1 => " (g2)", 2 => " (g3)", _ => "" };
            return a.Name + ": " + text;
        }
        if (a.Kind == ActorKind.Gup) // §7
            return a.Name + ": " + (c.Action == StepAction.Gup ? "gup_fast " + c.Page.ToString(CultureInfo.InvariantCulture)
                : machine.GupPhase(a.Unit) == 1 ? "g2" : "g3");
        if (c.Page >= program.Pages && c.Action == StepAction.Prefetch) // §7: a kernel page
            return a.Name + ": prefetch k" + (c.Page - program.Pages).ToString(CultureInfo.InvariantCulture);
        return a.Name + ": " + c.Action switch
        {
            StepAction.Reuse => "reuse",
            StepAction.Step => "fault " + c.Page.ToString(CultureInfo.InvariantCulture)
                + PhaseSuffix(machine.State.I[machine.State.CtxPhase + a.Unit]),
            StepAction.Read => "read ",
            StepAction.Write => "write ",
            StepAction.Prefetch => "prefetch ",
            _ => "fault ",
        } + (c.Action is StepAction.Reuse or StepAction.Step ? "" : c.Page.ToString(CultureInfo.InvariantCulture));
    }

    private static string PhaseSuffix(int phase) => phase switch
    {
        1 => " (walk)",
        2 => " (commit)",
        _ => "",
    };

    /// <summary>
    /// Reads trace lines (<c>ACTOR: TEXT</c>); <paramref name="firstLine"/> is the file line of the first one,
    /// for diagnostics. Thread steps keep their text, checked against the thread's op on replay.
    /// </summary>
    public static (Schedule? Schedule, ImmutableArray<Diagnostic> Diagnostics) Parse(
        CompiledOrdering program, IReadOnlyList<string> lines, string file, int firstLine)
    {
        var steps = ImmutableArray.CreateBuilder<Choice>();
        var expected = ImmutableArray.CreateBuilder<string?>();
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        for (int k = 0; k < lines.Count; k++)
        {
            string raw = lines[k];
            int lineNo = firstLine + k;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int colon = line.IndexOf(':');
            int column = raw.Length - raw.TrimStart().Length + 1;
            if (colon <= 0)
            {
                diagnostics.Add(new Diagnostic(file, lineNo, column, $"schedule step '{line}' has no actor",
                    "write steps as 'ACTOR: OP', e.g. 'dev0: write 2' or 'fork: pte_wrprotect 0 4'"));
                continue;
            }
            string name = line[..colon].Trim();
            string text = line[(colon + 1)..].Trim();
            int actorIndex = program.ActorIndex(name);
            if (actorIndex < 0)
            {
                var names = new List<string>();
                foreach (var a in program.Actors) names.Add(a.Name);
                diagnostics.Add(new Diagnostic(file, lineNo, column, $"unknown actor '{name}'",
                    "the actors of this ordering are: " + string.Join(", ", names)));
                continue;
            }
            var actor = program.Actors[actorIndex];
            if (actor.Kind == ActorKind.Thread)
            {
                steps.Add(Choice.Thread(actorIndex));
                expected.Add(text);
                continue;
            }
            if (!TryParseEnvironment(actor, text, program.Pages, out var choice, out string? error)
                && !TryParseTreeStep(actor, text, program, ref choice, ref error)) // §7
            {
                diagnostics.Add(new Diagnostic(file, lineNo, column + colon + 2, error!, EnvironmentHint(actor)));
                continue;
            }
            steps.Add(choice with { Actor = (byte)actorIndex });
            expected.Add(null);
        }
        if (diagnostics.Count > 0) return (null, diagnostics.ToImmutable());
        return (new Schedule(program, steps.ToImmutable(), expected.ToImmutable()), ImmutableArray<Diagnostic>.Empty);
    }

    private static bool TryParseEnvironment(Actor actor, string text, int pages, out Choice choice, out string? error)
    {
        choice = default;
        error = null;
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (actor.Kind == ActorKind.Allocator)
        {
            if (parts.Length == 1 && parts[0] == "reuse")
            {
                choice = new Choice(0, StepAction.Reuse, 0);
                return true;
            }
            error = $"'{text}' is not an allocator step";
            return false;
        }
        if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int page) || page >= pages)
        {
            error = $"'{text}' is not a step of {actor.Name} on a page below {pages}";
            return false;
        }
        StepAction action;
        switch (parts[0])
        {
            case "read": action = StepAction.Read; break;
            case "write": action = StepAction.Write; break;
            case "prefetch" when actor.Kind == ActorKind.Device: action = StepAction.Prefetch; break;
            case "fault" when actor.Kind == ActorKind.Shadow:
                action = parts.Length > 2 && parts[2] is "(walk)" or "(commit)" ? StepAction.Step : StepAction.Fault;
                break;
            default:
                error = $"'{parts[0]}' is not a step of {actor.Name}";
                return false;
        }
        int expectedParts = parts[0] == "fault" && action == StepAction.Step ? 3 : 2;
        if (parts.Length != expectedParts)
        {
            error = $"unexpected '{parts[^1]}' in step '{text}'";
            return false;
        }
        choice = new Choice(0, action, (byte)page);
        return true;
    }

    /// <summary>§7: GUP-fast steps (<c>gup_fast P</c>, <c>g2</c>, <c>g3</c>) and kernel-page prefetches (<c>prefetch kP</c>).</summary>
    private static bool TryParseTreeStep(Actor actor, string text, CompiledOrdering program, ref Choice choice, ref string? error)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (actor.Kind == ActorKind.Gup)
        {
            if (parts.Length == 1 && parts[0] is "g2" or "g3")
            {
                choice = new Choice(0, StepAction.Step, 0);
                error = null;
                return true;
            }
            if (parts.Length == 2 && parts[0] == "gup_fast" && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int page) && page < program.Pages)
            {
                choice = new Choice(0, StepAction.Gup, (byte)page);
                error = null;
                return true;
            }
            error = $"'{text}' is not a step of {actor.Name} ('gup_fast P', 'g2', 'g3')";
            return false;
        }
        if (actor.Kind is ActorKind.Cpu or ActorKind.Device && parts.Length == 2 && parts[0] == "prefetch" && parts[1].StartsWith('k')
            && int.TryParse(parts[1].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k < program.KernelPages)
        {
            choice = new Choice(0, StepAction.Prefetch, (byte)(program.Pages + k));
            error = null;
            return true;
        }
        return false;
    }

    private static string EnvironmentHint(Actor actor) => actor.Kind switch
    {
        ActorKind.Cpu => "a CPU reads or writes a page: 'read P', 'write P'",
        ActorKind.Device => "a device reads, writes or prefetches a page: 'read P', 'write P', 'prefetch P'",
        ActorKind.Shadow => "a shadow faults, reads or writes: 'fault P' (then 'fault P (walk)', 'fault P (commit)'), 'read P', 'write P'",
        _ => "the allocator's only step is 'reuse'",
    };
}
