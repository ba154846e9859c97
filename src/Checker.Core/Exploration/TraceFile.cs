using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Checker.Invariants;
using Checker.Language;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>
/// The <c>.trace</c> format (DESIGN §5): self-contained and readable. Header fields (<c>invariant</c>,
/// <c>step</c>, and informational ones), then the whole ordering text, then the schedule one step a line:
/// <code>
/// # checker counterexample — replay with: checker replay FILE
/// invariant stale-secondary-after-flush
/// step 9
/// found-by exhaustive, seed 1, bound 4
/// --- ordering
/// …the .order text…
/// --- schedule
/// dev0: write 0
/// fork: mmap_write_lock
/// --- end
/// </code>
/// The <c>--- end</c> line makes truncation detectable. Every problem is a diagnostic with line and column.
/// </summary>
public static class TraceFile
{
    private const string OrderingMarker = "--- ordering";
    private const string ScheduleMarker = "--- schedule";
    private const string EndMarker = "--- end";

    /// <summary>The <c>.trace</c> text of a counterexample: the ordering, the seed and strategy, and the schedule, replayable with <c>checker replay</c>.</summary>
    public static string Format(Counterexample cx, string orderingText, string? file, string foundBy, string? fsCheckReplay = null)
    {
        var sb = new StringBuilder();
        var schedule = cx.Schedule;
        sb.Append("# checker counterexample — replay with: checker replay FILE\n");
        sb.Append("# ").Append(cx.Violation.Description).Append('\n');
        sb.Append("invariant ").Append(Invariant.NameOf(cx.Id)).Append('\n');
        sb.Append("step ").Append(cx.Violation.Step + 1).Append('\n');
        sb.Append("ordering ").Append(schedule.Program.Name).Append('\n');
        if (file is not null) sb.Append("file ").Append(file.Replace('\\', '/')).Append('\n');
        sb.Append("found-by ").Append(foundBy).Append('\n');
        if (fsCheckReplay is not null) sb.Append("fscheck-replay ").Append(fsCheckReplay).Append('\n');
        sb.Append("environment-actions ").Append(schedule.EnvironmentActions).Append('\n');
        sb.Append("context-switches ").Append(schedule.ContextSwitches).Append('\n');
        sb.Append(OrderingMarker).Append('\n');
        sb.Append(orderingText);
        if (!orderingText.EndsWith('\n')) sb.Append('\n');
        sb.Append(ScheduleMarker).Append('\n');
        sb.Append(schedule);
        sb.Append(EndMarker).Append('\n');
        return sb.ToString();
    }

    /// <summary>Reads a <c>.trace</c> file's text; <paramref name="path"/> names it in diagnostics.</summary>
    public static (Trace? Trace, ImmutableArray<Diagnostic> Diagnostics) Parse(string text, string path)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var lines = text.Split('\n');
        int count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        for (int k = 0; k < count; k++) lines[k] = lines[k].TrimEnd('\r');
        void Error(int line, int column, string what, string hint) => diagnostics.Add(new Diagnostic(path, line, column, what, hint));

        InvariantId? invariant = null;
        int step = 0;
        string? file = null, foundBy = null, fsCheck = null;
        var counts = new List<(string Key, int Value, int Line, int Column)>(2); // checked against the schedule
        int k0 = 0;
        for (; k0 < count && lines[k0] != OrderingMarker; k0++)
        {
            string line = lines[k0];
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int space = line.IndexOf(' ');
            string key = space < 0 ? line : line[..space];
            string value = space < 0 ? "" : line[(space + 1)..].Trim();
            switch (key)
            {
                case "invariant":
                    if (Invariant.TryParse(value, out var id)) invariant = id;
                    else Error(k0 + 1, space + 2, $"unknown invariant '{value}'", "the invariants are: " + string.Join(", ", Invariant.Names));
                    break;
                case "step":
                    if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int s) && s >= 1) step = s;
                    else Error(k0 + 1, space + 2, $"step must be a step number from 1, found '{value}'", "write the 1-based index of the violating step");
                    break;
                case "file": file = value; break;
                case "found-by": foundBy = value; break;
                case "fscheck-replay": fsCheck = value; break;
                case "environment-actions" or "context-switches":
                    if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n)) counts.Add((key, n, k0 + 1, space + 2));
                    else Error(k0 + 1, space + 2, $"{key} must be a number, found '{value}'", "write the count the schedule has, or delete the line");
                    break;
                case "ordering": break; // informational: the embedded ordering's name is the one used
                default:
                    Error(k0 + 1, 1, $"unknown trace field '{key}'",
                        "a trace header has invariant, step, ordering, file, found-by, fscheck-replay, environment-actions, context-switches");
                    break;
            }
        }
        if (invariant is null && diagnostics.Count == 0) Error(1, 1, "the trace names no invariant", "add 'invariant ID' to the header");
        if (step == 0 && diagnostics.Count == 0) Error(1, 1, "the trace names no violating step", "add 'step N' to the header");
        if (k0 >= count)
        {
            Error(count + 1, 1, $"the trace has no '{OrderingMarker}' section", "is it truncated? a trace holds the header, the ordering text and the schedule");
            return (null, diagnostics.ToImmutable());
        }
        int orderingStart = k0 + 1;
        int k1 = orderingStart;
        while (k1 < count && lines[k1] != ScheduleMarker) k1++;
        if (k1 >= count)
        {
            Error(count + 1, 1, $"the trace has no '{ScheduleMarker}' section", "the file is truncated; save the counterexample again or restore it");
            return (null, diagnostics.ToImmutable());
        }
        int k2 = k1 + 1;
        while (k2 < count && lines[k2] != EndMarker) k2++;
        if (k2 >= count) Error(count + 1, 1, $"the trace is truncated: no '{EndMarker}' line after the schedule", "restore the file, or save the counterexample again");

        string orderingText = string.Join('\n', lines[orderingStart..k1]) + "\n";
        var parsed = OrderingParser.Parse(orderingText, path, orderingStart + 1);
        foreach (var d in parsed.Diagnostics) diagnostics.Add(d);
        if (!parsed.Ok || diagnostics.Count > 0) return (null, diagnostics.ToImmutable());
        var program = CompiledOrdering.Compile(parsed.Ordering! with { DefaultName = parsed.Ordering!.Name });
        var (schedule, scheduleDiagnostics) = Schedule.Parse(program, lines[(k1 + 1)..k2], path, k1 + 2);
        diagnostics.AddRange(scheduleDiagnostics);
        if (schedule is null) return (null, diagnostics.ToImmutable());
        if (schedule.Count == 0)
        {
            Error(k1 + 2, 1, "the trace's schedule is empty", "a counterexample has at least the violating step");
            return (null, diagnostics.ToImmutable());
        }
        foreach (var (key, value, line, column) in counts)
        {
            int actual = key == "environment-actions" ? schedule.EnvironmentActions : schedule.ContextSwitches;
            if (value != actual)
                Error(line, column, $"{key} says {value}, but the schedule has {actual}",
                    "the schedule was edited after the trace was saved: correct the count (or delete the line) to replay the edited schedule, or restore the file");
        }
        if (diagnostics.Count > 0) return (null, diagnostics.ToImmutable());
        return (new Trace(invariant!.Value, step, orderingText, program, schedule, file, foundBy, fsCheck), ImmutableArray<Diagnostic>.Empty);
    }

    /// <summary>Re-executes the trace exactly; it reproduces when the recorded invariant is the first violated,
    /// at the recorded step. Otherwise the message says where the run diverged.</summary>
    public static ReplayResult Replay(Trace trace)
    {
        var run = Executor.Run(trace.Program, trace.Schedule);
        string want = $"{Invariant.NameOf(trace.Invariant)} at step {trace.Step}";
        if (run.Diverged)
            return new ReplayResult(false, $"diverged at {run.Divergence}; the trace expected {want}", run);
        if (run.Violation is not { } v)
            return new ReplayResult(false, $"no longer violates anything: all {run.StepsRun} steps ran without a violation; the trace expected {want}", run);
        if (v.Id != trace.Invariant || v.Step + 1 != trace.Step)
            return new ReplayResult(false, $"violates {v.Name} at step {v.Step + 1} instead of {want}: {v.Description}", run);
        if (v.Step + 1 < trace.Schedule.Count)
            return new ReplayResult(true, $"reproduced {want} (the {trace.Schedule.Count - v.Step - 1} steps after it were not run): {v.Description}", run);
        return new ReplayResult(true, $"reproduced {want}: {v.Description}", run);
    }
}
