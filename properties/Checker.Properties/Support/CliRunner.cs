using Checker.Cli;

namespace Checker.Properties.Support;

/// <summary>Runs the <c>checker</c> command in-process with its stdout and stderr captured.</summary>
public static class CliRunner
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CheckerCommand.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The output with the test assembly's directory removed from paths, so that
    /// <c>…/bin/Debug/net10.0/catalog/x.order</c> reads <c>catalog/x.order</c> on every machine.</summary>
    public static string Relative(string text) => text.Replace(AppContext.BaseDirectory.Replace('\\', '/'), "").Replace(AppContext.BaseDirectory, "");
}
