using System.Text;
using Checker.Exploration;
using Checker.Invariants;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Reports;

/// <summary>
/// A counterexample as a step table: one row per step with the actor, the op in kernel vocabulary and the
/// PTE / CPU TLB / IOTLB / sPTE state after it; the violating step is marked <c>&gt;&gt;</c>. Built by
/// re-running the schedule (reporting path only).
/// </summary>
public static class StepTable
{
    /// <summary>One step of a counterexample, with the state after it.</summary>
    public sealed record Row(int Step, string Actor, string Op, StateSnapshot After, bool Violating);

    public static List<Row> Rows(Schedule schedule)
    {
        var program = schedule.Program;
        var machine = new Machine(program);
        machine.Reset(Executor.UnlimitedBudget);
        var rows = new List<Row>();
        for (int k = 0; k < schedule.Count; k++)
        {
            var c = schedule.Steps[k];
            string text = Schedule.StepText(machine, c);
            int colon = text.IndexOf(':');
            if (!machine.CanStep(c))
            {
                rows.Add(new Row(k + 1, text[..colon], text[(colon + 2)..] + "  (not enabled: " + machine.WhyNot(c) + ")", StateSnapshot.Of(machine), false));
                break;
            }
            uint violated = machine.Step(c);
            rows.Add(new Row(k + 1, text[..colon], text[(colon + 2)..], StateSnapshot.Of(machine), violated != 0));
            if (violated != 0) break;
        }
        return rows;
    }

    public static string Render(Counterexample cx, string indent = "  ")
    {
        var sb = new StringBuilder();
        var v = cx.Violation;
        sb.Append(indent).Append("counterexample: ").Append(v.Name).Append(" at step ").Append(v.Step + 1)
          .Append(" (").Append(Plural(cx.Schedule.EnvironmentActions, "environment action")).Append(", ")
          .Append(Plural(cx.Schedule.ContextSwitches, "context switch")).Append("; found by ").Append(cx.Origin).Append(")\n");
        AppendTable(sb, cx.Schedule, indent);
        sb.Append(indent).Append(v.Description).Append('\n');
        if (v.CoViolations.Count > 0)
        {
            var names = new List<string>();
            foreach (var id in v.CoViolations) names.Add(Invariant.NameOf(id));
            sb.Append(indent).Append("also violated at that step (co-violations): ").Append(string.Join(", ", names)).Append('\n');
        }
        sb.Append(indent).Append("frames after: ").Append(v.Snapshot.Frames).Append("   (").Append(v.Snapshot.Mm).Append(")\n");
        sb.Append(indent).Append(Notation).Append('\n');
        return sb.ToString();
    }

    /// <summary>The notation line printed under every table.</summary>
    public const string Notation = "notation: fNw / fNr = frame N writable / read-only, '-' = PTE none, '.' = no entry, '!' = stale";

    /// <summary>The step table of any schedule (one that violates nothing too), without the counterexample's
    /// heading and description: the frames and mm counters after the last step follow it.</summary>
    public static string RenderSchedule(Schedule schedule, string indent = "  ")
    {
        var sb = new StringBuilder();
        var rows = AppendTable(sb, schedule, indent);
        if (rows.Count > 0)
            sb.Append(indent).Append("frames after: ").Append(rows[^1].After.Frames).Append("   (").Append(rows[^1].After.Mm).Append(")\n");
        return sb.ToString();
    }

    private static List<Row> AppendTable(StringBuilder sb, Schedule schedule, string indent)
    {
        var program = schedule.Program;
        var rows = Rows(schedule);
        var headers = new List<string> { "step", "actor", "op", "PTE" };
        for (int c = 0; c < program.Cpus; c++) headers.Add($"cpu{c} TLB");
        for (int d = 0; d < program.Devices.Length; d++) headers.Add($"dev{d} IOTLB");
        for (int h = 0; h < program.Shadows.Length; h++) headers.Add($"shadow{h} sPTE");
        var cells = new List<string[]>();
        foreach (var r in rows)
        {
            var line = new List<string> { (r.Violating ? ">> " : "") + r.Step, r.Actor, r.Op, r.After.Pte };
            line.AddRange(r.After.Tlbs);
            line.AddRange(r.After.Iotlbs);
            line.AddRange(r.After.Sptes);
            cells.Add([.. line]);
        }
        var widths = new int[headers.Count];
        for (int i = 0; i < headers.Count; i++) widths[i] = headers[i].Length;
        foreach (var line in cells)
            for (int i = 0; i < line.Length; i++) widths[i] = Math.Max(widths[i], line[i].Length);

        AppendRow(sb, indent, headers.ToArray(), widths);
        foreach (var line in cells) AppendRow(sb, indent, line, widths);
        return rows;
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
