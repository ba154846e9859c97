using Checker.Cli;
using Checker.Cli.Terminal;

// Ctrl-C stops a long run promptly: exploration winds down, and the results so far are printed (and saved
// with --save-trace) before the process exits. A second Ctrl-C ends the process at once.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (cancel.IsCancellationRequested) return;
    e.Cancel = true;
    cancel.Cancel();
    Console.Error.WriteLine("checker: interrupted — stopping and printing the results so far (Ctrl-C again to quit at once)");
};
return CheckerCommand.Run(args, Console.Out, Console.Error, TerminalInfo.ForConsole(), cancel.Token);
