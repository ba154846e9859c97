using System.CommandLine;
using Checker.Cli.Terminal;
using Checker.Exploration;
using Checker.Language;
using Serilog.Core;
using Checker.Invariants;
using Checker.Reports;
using Serilog;
using Serilog.Events;
using Checker.Vocabulary;

namespace Checker.Cli;

/// <summary><c>checker replay FILE.trace…</c>: re-executes each counterexample exactly. Exit 0 when every trace
/// reproduces its violation at its step; 2 when one no longer does (with where it diverged); 1 for a trace
/// that cannot be read. Logs like <c>check</c>: a summary on stderr, a warning for each trace that diverged,
/// and with <c>--log FILE</c> one CLEF event per trace (trace, ordering, invariant, step, reproduced).</summary>
public static class ReplayCommand
{
    public static Command Build(CliContext ctx)
    {
        var traces = CliOptions.Paths("TRACE", "files", ".trace files, as 'checker check --save-trace' and 'checker diff --save-trace' write them");
        var log = new LogOptionSet("replay.clef");
        var command = new Command("replay", "re-execute counterexamples exactly and say whether each still violates its invariant at its step")
        {
            traces,
        };
        log.AddTo(command);
        command.SetAction(parse => Run(ctx, parse.GetValue(traces) ?? [], () => CliLog.Create(parse, log, ctx.Error)));
        return command;
    }

    private static int Run(CliContext ctx, string[] paths, Func<Logger> createLogger)
    {
        var (output, error) = (ctx.Output, ctx.Error);
        if (paths.Length == 0)
        {
            error.WriteLine("checker replay: error: no trace given — usage: checker replay FILE.trace…");
            return ExitCodes.BadInput;
        }
        using var logger = createLogger();
        var log = logger.ForContext("Command", "replay");
        int exit = ExitCodes.Ok, reproduced = 0, diverged = 0, unreadable = 0;
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                error.WriteLine($"{path}:1:1: error: no such file — check the path");
                exit = ExitCodes.BadInput;
                unreadable++;
                continue;
            }
            string text = File.ReadAllText(path);
            var (trace, diagnostics) = TraceFile.Parse(text, path);
            if (trace is null && IsOrdering(path, text))
            {
                error.WriteLine($"{path}:1:1: error: this is an ordering, not a trace — check it with 'checker check {path}'; replay takes the .trace files that 'checker check --save-trace DIR' writes");
                exit = ExitCodes.BadInput;
                unreadable++;
                continue;
            }
            if (trace is null)
            {
                foreach (var d in diagnostics) error.WriteLine(d);
                exit = ExitCodes.BadInput;
                unreadable++;
                continue;
            }
            var result = TraceFile.Replay(trace);
            string outcome = result.Reproduced ? "ok" : "FAILED";
            if (ctx.Terminal.Color) outcome = Ansi.Paint(outcome, result.Reproduced ? Ansi.Green : Ansi.Red);
            output.WriteLine($"{path}: {outcome}: {result.Message}");
            if (result.Violation is { } v)
            {
                string steps = StepTable.Render(new Counterexample(trace.Schedule, v, trace.FoundBy ?? "trace"));
                output.Write(ctx.Terminal.Color ? Ansi.MarkViolatingStep(steps) : steps);
            }
            if (!result.Reproduced && exit == ExitCodes.Ok) exit = ExitCodes.Violation;
            if (result.Reproduced) reproduced++;
            else diverged++;
            Logged(log, path, trace, result);
        }
        log.Information("Replayed {Traces} traces: {Reproduced} reproduced, {Diverged} diverged, {Unreadable} unreadable",
            paths.Length, reproduced, diverged, unreadable);
        if (paths.Length > 1)
            output.WriteLine($"{paths.Length} traces: {reproduced} reproduced, {diverged} diverged, {unreadable} unreadable");
        return exit;
    }

    /// <summary>Whether a file that is not a trace is an ordering (named .order, or parsed as one), which
    /// <c>check</c> takes, not <c>replay</c>.</summary>
    private static bool IsOrdering(string path, string text) =>
        path.EndsWith(".order", StringComparison.OrdinalIgnoreCase) || OrderingParser.Parse(text, path).Ok;

    private static void Logged(ILogger log, string path, Trace trace, ReplayResult result)
    {
        var o = log.ForContext("Trace", path.Replace('\\', '/'))
                   .ForContext("Ordering", trace.Program.Source.Name)
                   .ForContext("Invariant", Invariant.NameOf(trace.Invariant))
                   .ForContext("Step", trace.Step)
                   .ForContext("Reproduced", result.Reproduced);
        o.Write(result.Reproduced ? LogEventLevel.Debug : LogEventLevel.Warning, "Replayed {Trace}: {Outcome}",
            path, result.Message);
        if (result.Violation is { } v)
            RunLog.Steps(o, new Counterexample(trace.Schedule, v, trace.FoundBy ?? "trace"));
    }
}
