using Checker.Cli.Terminal;

namespace Checker.Cli;

/// <summary>Where a command writes (results to <see cref="Output"/>, diagnostics and logs to
/// <see cref="Error"/>), the screen it writes to, and the Ctrl-C token.</summary>
public sealed record CliContext(TextWriter Output, TextWriter Error, TerminalInfo Terminal, CancellationToken Cancel)
{
    /// <summary>A context for building the command tree only (help, docs, completion scripts).</summary>
    public static CliContext None => new(TextWriter.Null, TextWriter.Null, TerminalInfo.Plain, CancellationToken.None);
}
