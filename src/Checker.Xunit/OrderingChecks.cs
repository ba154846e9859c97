using System.Text;
using Checker.Exploration;
using Checker.Language;
using Checker.Model;
using Checker.Reports;
using Checker.Vocabulary;

namespace Checker.Xunit;

/// <summary>
/// The assertions behind <see cref="OrderingFile"/> and <see cref="CounterexampleTrace"/>, for tests that name their
/// files themselves. Each throws <see cref="OrderingCheckException"/> with the report a developer needs: the verdict,
/// every counterexample as a step table, and the counterexample as a <c>.trace</c> to save and replay.
/// </summary>
public static class OrderingChecks
{
    /// <summary>Checks the ordering at <paramref name="path"/> with <paramref name="options"/> (by default what
    /// <c>checker check FILE</c> does) and returns the result when its <c>expect</c> line is met.</summary>
    /// <param name="path">The <c>.order</c> file.</param>
    /// <param name="display">How the report names the file; the path when null.</param>
    /// <param name="options">Strategy, seed, bound and budgets; the defaults when null.</param>
    /// <exception cref="OrderingCheckException">The file does not parse, or its expectation is not met.</exception>
    public static OrderingResult AssertExpectation(string path, string? display = null, ExplorationOptions? options = null)
    {
        display ??= path;
        options ??= new ExplorationOptions();
        if (!File.Exists(path)) throw new OrderingCheckException($"{display}: no such file");
        var parsed = OrderingParser.Parse(File.ReadAllText(path), display);
        if (!parsed.Ok)
            throw new OrderingCheckException($"{display}: does not parse:\n" + string.Join("\n", parsed.Diagnostics));
        var result = Explorer.Check(CompiledOrdering.Compile(parsed.Ordering!), display, options);
        if (result.Met) return result;
        throw new OrderingCheckException(Report(result, options));
    }

    /// <summary>The failure report of an unmet result: what was expected and found, then each counterexample's step
    /// table and <c>.trace</c> text.</summary>
    public static string Report(OrderingResult result, ExplorationOptions options)
    {
        var sb = new StringBuilder();
        var found = new List<string>();
        foreach (var id in result.Found) found.Add(Invariant.NameOf(id));
        sb.Append(result.File).Append(": ").Append(result.Verdict.Word).Append(" — expect ").Append(result.ExpectText)
          .Append(", found ").Append(found.Count == 0 ? "nothing" : string.Join(", ", found))
          .Append(" (strategy ").Append(options.Strategy.ToString().ToLowerInvariant()).Append(", seed ").Append(options.Seed)
          .Append(", bound ").Append(options.Bound).Append("; ").Append(ExplorationSummary.Of(result)).Append(")\n");
        if (result.Verdict.Missed) sb.Append("  ").Append(Verdict.MissedNote(result.ExpectText)).Append('\n');
        foreach (var id in result.Found)
        {
            var cx = result.Counterexamples[id];
            sb.Append(StepTable.Render(cx));
            sb.Append("  as a trace (save it as a .trace file; [TraceReplay] or 'checker replay' replays it):\n");
            string trace = TraceFile.Format(cx, OrderingPrinter.Print(result.Program.Source), result.File, cx.Origin);
            foreach (var line in trace.Split('\n')) sb.Append("    ").Append(line).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Replays the trace at <paramref name="path"/> exactly and returns the result when it reproduces its
    /// violation at its step.</summary>
    /// <param name="path">The <c>.trace</c> file.</param>
    /// <param name="display">How the report names the file; the path when null.</param>
    /// <exception cref="OrderingCheckException">The trace does not parse, or no longer reproduces.</exception>
    public static ReplayResult AssertReproduces(string path, string? display = null)
    {
        display ??= path;
        if (!File.Exists(path)) throw new OrderingCheckException($"{display}: no such file");
        var (trace, diagnostics) = TraceFile.Parse(File.ReadAllText(path), display);
        if (trace is null)
            throw new OrderingCheckException($"{display}: does not parse:\n" + string.Join("\n", diagnostics));
        var result = TraceFile.Replay(trace);
        if (result.Reproduced) return result;
        var sb = new StringBuilder().Append(display).Append(": no longer reproduces: ").Append(result.Message).Append('\n');
        if (result.Violation is { } v) sb.Append(StepTable.Render(new Counterexample(trace.Schedule, v, trace.FoundBy ?? "trace")));
        throw new OrderingCheckException(sb.ToString());
    }
}
