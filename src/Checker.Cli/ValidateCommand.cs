namespace Checker.Cli;

/// <summary><c>checker validate PATH…</c>: parse and check .order files, print diagnostics, exit 0 or 1.</summary>
public static class ValidateCommand
{
    public static int Run(IReadOnlyList<string> paths, TextWriter output, TextWriter error)
    {
        if (paths.Count == 0)
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
