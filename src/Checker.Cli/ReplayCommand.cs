using Checker.Exploration;
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
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var line = CommandLine.Parse("replay", args, ["-v", "--verbose"], ["--log"]);
        OutputFiles.Validate(line, "replay", "--log", "replay.clef");
        if (line.Error is not null)
        {
            error.WriteLine(line.Error);
            return ExitCodes.BadInput;
        }
        if (line.Positional.Count == 0)
        {
            error.WriteLine("checker replay: error: no trace given — usage: checker replay FILE.trace…");
            return ExitCodes.BadInput;
        }
        using var logger = CliLog.Create(line, error);
        var log = logger.ForContext("Command", "replay");
        int exit = ExitCodes.Ok, reproduced = 0, diverged = 0, unreadable = 0;
        foreach (var path in line.Positional)
        {
            if (!File.Exists(path))
            {
                error.WriteLine($"{path}:1:1: error: no such file — check the path");
                exit = ExitCodes.BadInput;
                unreadable++;
                continue;
            }
            var (trace, diagnostics) = TraceFile.Parse(File.ReadAllText(path), path);
            if (trace is null)
            {
                foreach (var d in diagnostics) error.WriteLine(d);
                exit = ExitCodes.BadInput;
                unreadable++;
                continue;
            }
            var result = TraceFile.Replay(trace);
            output.WriteLine($"{path}: {(result.Reproduced ? "ok" : "FAILED")}: {result.Message}");
            if (result.Violation is { } v)
                output.Write(StepTable.Render(new Counterexample(trace.Schedule, v, trace.FoundBy ?? "trace")));
            if (!result.Reproduced && exit == ExitCodes.Ok) exit = ExitCodes.Violation;
            if (result.Reproduced) reproduced++;
            else diverged++;
            Logged(log, path, trace, result);
        }
        log.Information("Replayed {Traces} traces: {Reproduced} reproduced, {Diverged} diverged, {Unreadable} unreadable",
            line.Positional.Count, reproduced, diverged, unreadable);
        return exit;
    }

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
