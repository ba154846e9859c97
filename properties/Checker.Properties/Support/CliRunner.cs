using Checker.Cli;
using Checker.Cli.Terminal;

namespace Checker.Properties.Support;

/// <summary>Runs the <c>checker</c> command in-process with its stdout and stderr captured.</summary>
public static class CliRunner
{
    public static (int Exit, string Out, string Err) Run(params string[] args) => Run(TerminalInfo.Plain, args);

    /// <summary>Runs as if stdout were a terminal of the given width and colour (the seam the narrow-terminal and
    /// colour tests force).</summary>
    public static (int Exit, string Out, string Err) Run(TerminalInfo terminal, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CheckerCommand.Run(args, output, error, terminal);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The output with the test assembly's directory removed from paths, so that
    /// <c>…/bin/Debug/net10.0/catalog/x.order</c> reads <c>catalog/x.order</c> on every machine.</summary>
    public static string Relative(string text) => text.Replace(AppContext.BaseDirectory.Replace('\\', '/'), "").Replace(AppContext.BaseDirectory, "");
}
