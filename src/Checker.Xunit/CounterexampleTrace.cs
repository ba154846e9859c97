using Xunit.Abstractions;

namespace Checker.Xunit;

/// <summary>
/// One saved counterexample (<c>.trace</c> file) given to a test by <see cref="TraceReplayAttribute"/>. The test calls
/// <see cref="Replay"/>, which fails when the trace no longer reproduces its violation at its step — the model or the
/// ordering changed under it — and says where the run diverged.
/// </summary>
public sealed class CounterexampleTrace : IXunitSerializable
{
    /// <summary>For xunit's deserialization only.</summary>
    [Obsolete("for xunit's serialization only")]
    public CounterexampleTrace()
    {
    }

    /// <summary>The trace at <paramref name="path"/>, shown as <paramref name="display"/>.</summary>
    public CounterexampleTrace(string path, string display)
    {
        Path = path;
        Display = display;
    }

    /// <summary>The full path of the trace.</summary>
    public string Path { get; private set; } = "";

    /// <summary>The path as the test list shows it.</summary>
    public string Display { get; private set; } = "";

    /// <summary>Replays the trace exactly, as <c>checker replay FILE</c> does, and fails unless it reproduces.</summary>
    /// <exception cref="OrderingCheckException">The trace does not parse, or does not reproduce.</exception>
    public void Replay() => OrderingChecks.AssertReproduces(Path, Display);

    /// <inheritdoc/>
    public override string ToString() => Display;

    void IXunitSerializable.Deserialize(IXunitSerializationInfo info)
    {
        Path = info.GetValue<string>(nameof(Path));
        Display = info.GetValue<string>(nameof(Display));
    }

    void IXunitSerializable.Serialize(IXunitSerializationInfo info)
    {
        info.AddValue(nameof(Path), Path);
        info.AddValue(nameof(Display), Display);
    }
}
