using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Checker.Cli;

/// <summary>A Serilog sink onto a <see cref="TextWriter"/>: the command's error writer when it is not the
/// process's stderr (tests, embedding), so that logs still go where the caller sent errors.</summary>
public sealed class TextWriterSink(TextWriter writer, ITextFormatter formatter) : ILogEventSink
{
    private readonly Lock gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (gate) formatter.Format(logEvent, writer);
    }
}
