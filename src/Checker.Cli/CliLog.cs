using System.CommandLine;
using System.Globalization;
using Checker.Cli.Terminal;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using Serilog.Sinks.SystemConsole.Themes;

namespace Checker.Cli;

/// <summary>
/// The CLI's Serilog setup (the engine never logs). On stderr — the command's error writer — only warnings and
/// errors appear, the results on stdout already ending in one summary line; <c>-v</c> shows everything, per-step
/// events included. <c>--log FILE</c> adds compact JSON (CLEF, one event a line, appended) at Debug and above, or
/// everything with <c>-v</c>. Per-step events are Verbose and are only built when
/// <c>IsEnabled(LogEventLevel.Verbose)</c>: without <c>-v</c> they cost nothing.
/// </summary>
public static class CliLog
{
    private const string ConsoleTemplate = "[{Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>The console theme: the terminal's default colour for all text (never black, so it reads on dark
    /// and light backgrounds), warnings yellow and errors red; no colour at all with <c>NO_COLOR</c>, and none
    /// when stderr is redirected (the sink's default).</summary>
    public static ConsoleTheme Theme => TerminalInfo.NoColor ? ConsoleTheme.None : new AnsiConsoleTheme(new Dictionary<ConsoleThemeStyle, string>
    {
        [ConsoleThemeStyle.LevelWarning] = Ansi.Yellow,
        [ConsoleThemeStyle.LevelError] = Ansi.Red,
        [ConsoleThemeStyle.LevelFatal] = Ansi.Bold + Ansi.Red,
        [ConsoleThemeStyle.Invalid] = Ansi.Yellow,
    });

    public static Logger Create(ParseResult parse, LogOptionSet options, TextWriter error)
    {
        bool verbose = parse.GetValue(options.Verbose);
        var config = new LoggerConfiguration().MinimumLevel.Is(verbose ? LogEventLevel.Verbose : LogEventLevel.Debug);
        var consoleLevel = verbose ? LogEventLevel.Verbose : LogEventLevel.Warning;
        if (ReferenceEquals(error, Console.Error))
            config.WriteTo.Console(consoleLevel, ConsoleTemplate, CultureInfo.InvariantCulture, theme: Theme, standardErrorFromLevel: LogEventLevel.Verbose);
        else
            config.WriteTo.Sink(new TextWriterSink(error, new MessageTemplateTextFormatter(ConsoleTemplate, CultureInfo.InvariantCulture)), consoleLevel);
        if (parse.GetValue(options.Log) is { } path)
            config.WriteTo.File(new CompactJsonFormatter(), path, verbose ? LogEventLevel.Verbose : LogEventLevel.Debug);
        return config.CreateLogger();
    }
}
