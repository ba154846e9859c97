using System.CommandLine;

namespace Checker.Cli;

/// <summary><c>checker validate PATH…</c>: parse and check .order files, print diagnostics, exit 0 or 1.</summary>
public static class ValidateCommand
{
    public static Command Build(CliContext ctx)
    {
        var paths = CliOptions.Paths("PATH", "files", ".order files, or directories: every .order file in a directory is validated");
        var command = new Command("validate", "parse and check .order files without running them; print each diagnostic as FILE:LINE:COL")
        {
            paths,
        };
        command.SetAction(parse => Run(parse.GetValue(paths) ?? [], ctx.Output, ctx.Error));
        return command;
    }

    private static int Run(string[] paths, TextWriter output, TextWriter error)
    {
        if (paths.Length == 0)
        {
            error.WriteLine("checker validate: error: no files given — usage: checker validate PATH…");
            return ExitCodes.BadInput;
        }
        var files = OrderingFiles.Expand(paths, error, out bool ok);
        foreach (var file in files)
        {
            var result = OrderingFiles.Parse(file);
            if (result.Ok)
            {
                foreach (var d in result.Diagnostics) error.WriteLine(d); // warnings
                output.WriteLine($"{file}: ok ({result.Ordering!.Name})");
                continue;
            }
            ok = false;
            foreach (var d in result.Diagnostics) error.WriteLine(d);
        }
        return ok ? ExitCodes.Ok : ExitCodes.BadInput;
    }
}
