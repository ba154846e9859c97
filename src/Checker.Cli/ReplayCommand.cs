using Checker.Exploration;
using Checker.Reports;

namespace Checker.Cli;

/// <summary><c>checker replay FILE.trace…</c>: re-executes each counterexample exactly. Exit 0 when every trace
/// reproduces its violation at its step; 2 when one no longer does (with where it diverged); 1 for a trace
/// that cannot be read.</summary>
public static class ReplayCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var line = CommandLine.Parse("replay", args, [], []);
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
        int exit = ExitCodes.Ok;
        foreach (var path in line.Positional)
        {
            if (!File.Exists(path))
            {
                error.WriteLine($"{path}:1:1: error: no such file — check the path");
                exit = ExitCodes.BadInput;
                continue;
            }
            var (trace, diagnostics) = TraceFile.Parse(File.ReadAllText(path), path);
            if (trace is null)
            {
                foreach (var d in diagnostics) error.WriteLine(d);
                exit = ExitCodes.BadInput;
                continue;
            }
            var result = TraceFile.Replay(trace);
            output.WriteLine($"{path}: {(result.Reproduced ? "ok" : "FAILED")}: {result.Message}");
            if (result.Violation is { } v)
                output.Write(StepTable.Render(new Counterexample(trace.Schedule, v, trace.FoundBy ?? "trace")));
            if (!result.Reproduced && exit == ExitCodes.Ok) exit = ExitCodes.Violation;
        }
        return exit;
    }
}
