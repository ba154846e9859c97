using System.Globalization;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Checker.Cli;

/// <summary>
/// The CLI's Serilog setup (the engine never logs). Logs go to stderr — the command's error writer — at
/// Information and above, or everything with <c>-v</c>; <c>--log FILE</c> adds compact JSON (CLEF, one event a
/// line, appended) at Debug and above, or everything with <c>-v</c>. Per-step events are Verbose and are only
/// built when <c>IsEnabled(LogEventLevel.Verbose)</c>: without <c>-v</c> they cost nothing.
/// </summary>
public static class CliLog
{
    private const string ConsoleTemplate = "[{Level:u3}] {Message:lj}{NewLine}{Exception}";

    public static Logger Create(CommandLine line, TextWriter error)
    {
        bool verbose = line.Has("-v") || line.Has("--verbose");
        var config = new LoggerConfiguration().MinimumLevel.Is(verbose ? LogEventLevel.Verbose : LogEventLevel.Debug);
        var consoleLevel = verbose ? LogEventLevel.Verbose : LogEventLevel.Information;
        if (ReferenceEquals(error, Console.Error))
            config.WriteTo.Console(consoleLevel, ConsoleTemplate, CultureInfo.InvariantCulture, standardErrorFromLevel: LogEventLevel.Verbose);
        else
            config.WriteTo.Sink(new TextWriterSink(error, new MessageTemplateTextFormatter(ConsoleTemplate, CultureInfo.InvariantCulture)), consoleLevel);
        if (line.Value("--log") is { } path)
            config.WriteTo.File(new CompactJsonFormatter(), path, verbose ? LogEventLevel.Verbose : LogEventLevel.Debug);
        return config.CreateLogger();
    }
}
