using System.Collections.Immutable;
using Checker.Model;
using Checker.Text;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>
/// A schedule replayed for reporting — the one place that steps a counterexample for reports (the step table,
/// the swim lanes, the HTML state table, the <c>-v</c> log): per step the typed op, the typed state after it and
/// the effects the machine itself reported during it (through a <see cref="StepRecorder"/>), stopping at the
/// first violation or at a step that cannot be taken. <see cref="Initial"/> is the state before the first step;
/// <see cref="Violation"/> the violation the last step caused, if any.
/// </summary>
public sealed record CounterexampleReplay(
    CompiledOrdering Program,
    StateSnapshot Initial,
    EquatableArray<ReplayStep> Steps,
    Violation? Violation)
{
    /// <summary>The state after the last step (the initial state when there is none).</summary>
    public StateSnapshot Final => Steps.Count > 0 ? Steps[^1].After : Initial;

    /// <summary>Replays <paramref name="schedule"/> step by step and records what each step did.</summary>
    public static CounterexampleReplay Of(Schedule schedule)
    {
        var program = schedule.Program;
        var machine = new Machine(program);
        var recorder = new StepRecorder(machine.State);
        machine.Recorder = recorder;
        machine.Reset(Executor.UnlimitedBudget);
        var initial = StateSnapshot.Of(machine);
        var steps = ImmutableArray.CreateBuilder<ReplayStep>();
        Violation? violation = null;
        for (int k = 0; k < schedule.Count; k++)
        {
            var c = schedule.Steps[k];
            var op = OpOf(machine, c);
            if (!machine.CanStep(c))
            {
                steps.Add(new ReplayStep(k + 1, op, StateSnapshot.Of(machine), EquatableArray<StepEffect>.Empty, null, machine.WhyNot(c)));
                break;
            }
            uint violated = machine.Step(c);
            var effects = recorder.Take();
            if (violated != 0) violation = Executor.MakeViolation(machine, violated, k);
            steps.Add(new ReplayStep(k + 1, op, violation?.Snapshot ?? StateSnapshot.Of(machine), effects, violation, null));
            if (violated != 0) break;
        }
        return new CounterexampleReplay(program, initial, steps.ToImmutable(), violation);
    }

    /// <summary>The op <paramref name="c"/> is about to run in the machine's current state.</summary>
    private static ReplayOp OpOf(Machine machine, Choice c)
    {
        var program = machine.Program;
        var a = program.Actors[c.Actor];
        string line = Schedule.StepText(machine, c);
        string text = line[(a.Name.Length + 2)..];
        if (a.Kind != ActorKind.Thread) return new ReplayOp(c.Actor, a, null, c.Action, c.Action == StepAction.Reuse ? -1 : c.Page, text);
        if (machine.ThreadDone(a.Thread)) return new ReplayOp(c.Actor, a, null, StepAction.Step, -1, text);
        ref readonly Op op = ref program.Ops[machine.NextOpIndex(a.Thread)];
        bool onePage = op.Code is OpCode.Read or OpCode.Write or OpCode.Prefetch or OpCode.Fault;
        return new ReplayOp(c.Actor, a, op.Code, StepAction.Step, onePage ? op.Arg : -1, text);
    }
}
