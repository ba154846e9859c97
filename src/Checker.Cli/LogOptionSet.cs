using System.CommandLine;

namespace Checker.Cli;

/// <summary><c>--log FILE</c> and <c>-v</c>, for the commands that log (check, diff, replay).</summary>
public sealed class LogOptionSet(string example)
{
    public Option<string?> Log { get; } = CliOptions.OutputFile("--log", "FILE",
        "append the run's events to FILE as compact JSON (CLEF, one event a line)", example);

    public Option<bool> Verbose { get; } = CliOptions.Flag("--verbose",
        "log to stderr as the run goes (information and debug events) and one event per counterexample step, also in --log", "-v");

    public void AddTo(Command command)
    {
        command.Options.Add(Log);
        command.Options.Add(Verbose);
    }
}
