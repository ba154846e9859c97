using System.Text;
using Checker.Exploration;
using Checker.Invariants;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Reports;

/// <summary>
/// A counterexample as a step table: one row per step with the actor, the op in kernel vocabulary and the
/// PTE / CPU TLB / IOTLB / sPTE state after it; the violating step is marked <c>&gt;&gt;</c>. It renders a
/// <see cref="CounterexampleReplay"/> (reporting path only).
/// </summary>
public static class StepTable
{
    /// <summary>The op column of a replayed step: the op as written, and why it could not run when it could not.</summary>
    public static string OpText(ReplayStep step) =>
        step.NotEnabled is { } why ? step.Op.Text + "  (not enabled: " + why + ")" : step.Op.Text;

    /// <summary>The counterexample as a step table: each step, its actor and op, and the state after it.</summary>
    public static string Render(Counterexample cx, string indent = "  ")
    {
        var sb = new StringBuilder();
        var v = cx.Violation;
        sb.Append(indent).Append("counterexample: ").Append(v.Name).Append(" at step ").Append(v.Step + 1)
          .Append(" (").Append(Plural(cx.Schedule.EnvironmentActions, "environment action")).Append(", ")
          .Append(Plural(cx.Schedule.ContextSwitches, "context switch")).Append("; found by ").Append(cx.Origin).Append(")\n");
        var replay = CounterexampleReplay.Of(cx.Schedule);
        var cause = RootCause.Of(replay);
        AppendTable(sb, replay, indent, cause?.FlushStep ?? -1);
        sb.Append(indent).Append(v.Description).Append('\n');
        if (cause is not null)
        {
            foreach (var line in cause.ToString().Split('\n')) sb.Append(indent).Append(line).Append('\n');
            sb.Append(indent).Append("(=> in the table marks that CPU flush)\n");
        }
        if (v.CoViolations.Count > 0)
        {
            var names = new List<string>();
            foreach (var id in v.CoViolations) names.Add(Invariant.NameOf(id));
            sb.Append(indent).Append("also violated at that step (co-violations): ").Append(string.Join(", ", names)).Append('\n');
        }
        sb.Append(indent).Append("frames after: ").Append(StateText.Frames(v.Snapshot)).Append("   (").Append(StateText.Mm(v.Snapshot)).Append(")\n");
        if (v.Snapshot.Tree is not null) // §7
            sb.Append(indent).Append("tables after: ").Append(StateText.Tables(v.Snapshot)).Append("   ('/R' = references, '~' = unlinked; walk entries: W2>tN = PMD table, W1[r]>tN = region r's PTE table, '!' = its table is no longer in the tree)\n")
              .Append(indent).Append("entries after: ").Append(StateText.Pmd(v.Snapshot))
              .Append(v.Snapshot.Tree.Gups.Count > 0 ? "   GUP-fast: " + StateText.Gups(v.Snapshot) : "").Append('\n');
        sb.Append(indent).Append(Notation).Append(v.Snapshot.Frames.Count > 0 && v.Snapshot.Frames[0].Dirty is not null ? StateText.DirtyNotation : "").Append('\n');
        return sb.ToString();
    }

    /// <summary>The notation line printed under every table.</summary>
    public const string Notation = "notation: fNw / fNr = frame N writable / read-only, '-' = PTE none, '.' = no entry, '!' = stale";

    /// <summary>The step table of any schedule (one that violates nothing too), without the counterexample's
    /// heading and description: the frames and mm counters after the last step follow it.</summary>
    public static string RenderSchedule(Schedule schedule, string indent = "  ")
    {
        var sb = new StringBuilder();
        var replay = CounterexampleReplay.Of(schedule);
        AppendTable(sb, replay, indent);
        if (replay.Steps.Count > 0)
            sb.Append(indent).Append("frames after: ").Append(StateText.Frames(replay.Final)).Append("   (").Append(StateText.Mm(replay.Final)).Append(")\n");
        return sb.ToString();
    }

    private static void AppendTable(StringBuilder sb, CounterexampleReplay replay, string indent, int rootCauseStep = -1)
    {
        var program = replay.Program;
        var headers = new List<string> { "step", "actor", "op", "PTE" };
        for (int c = 0; c < program.Cpus; c++) headers.Add($"cpu{c} TLB");
        for (int d = 0; d < program.Devices.Length; d++) headers.Add($"dev{d} IOTLB");
        for (int h = 0; h < program.Shadows.Length; h++) headers.Add($"shadow{h} sPTE");
        bool tree = replay.Initial.Tree is not null; // §7: the walk entries of each CPU and device
        if (tree)
        {
            for (int c = 0; c < program.Cpus; c++) headers.Add($"cpu{c} walk");
            for (int d = 0; d < program.Devices.Length; d++) headers.Add($"dev{d} walk");
        }
        var cells = new List<string[]>();
        foreach (var r in replay.Steps)
        {
            var line = new List<string> { (r.Violating ? ">> " : r.Step == rootCauseStep ? "=> " : "") + r.Step, r.Op.Actor.Name, OpText(r), StateText.Ptes(r.After) };
            line.AddRange(StateText.Caches(r.After.Tlbs));
            line.AddRange(StateText.Caches(r.After.Iotlbs));
            line.AddRange(StateText.Caches(r.After.Sptes));
            if (tree && r.After.Tree is { } t)
            {
                foreach (var walks in t.CpuWalks) line.Add(StateText.Walks(walks));
                foreach (var walks in t.DeviceWalks) line.Add(StateText.Walks(walks));
            }
            cells.Add([.. line]);
        }
        var widths = new int[headers.Count];
        for (int i = 0; i < headers.Count; i++) widths[i] = headers[i].Length;
        foreach (var line in cells)
            for (int i = 0; i < line.Length; i++) widths[i] = Math.Max(widths[i], line[i].Length);

        AppendRow(sb, indent, headers.ToArray(), widths);
        foreach (var line in cells) AppendRow(sb, indent, line, widths);
    }

    /// <summary>"1 context switch", "2 context switches".</summary>
    public static string Plural(int n, string what) => n + " " + what + (n == 1 ? "" : what.EndsWith('h') ? "es" : "s");

    private static void AppendRow(StringBuilder sb, string indent, string[] cells, int[] widths)
    {
        sb.Append(indent);
        for (int i = 0; i < cells.Length; i++)
        {
            if (i == 0) sb.Append(cells[i].PadLeft(widths[i]));
            else sb.Append(cells[i].PadRight(widths[i]));
            if (i < cells.Length - 1) sb.Append("  ");
        }
        int end = sb.Length;
        while (end > 0 && sb[end - 1] == ' ') end--;
        sb.Length = end;
        sb.Append('\n');
    }
}
