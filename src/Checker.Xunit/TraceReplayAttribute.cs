using System.Reflection;
using Xunit.Sdk;

namespace Checker.Xunit;

/// <summary>
/// Gives a <c>[Theory]</c> one <see cref="CounterexampleTrace"/> per <c>.trace</c> file matching <see cref="Pattern"/>;
/// the test calls <see cref="CounterexampleTrace.Replay"/>:
/// <code>
/// [Theory, TraceReplay("counterexamples/*.trace")]
/// public void StillReproduces(CounterexampleTrace trace) => trace.Replay();
/// </code>
/// Patterns resolve as <see cref="OrderingPropertyAttribute"/>'s do.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class TraceReplayAttribute : DataAttribute
{
    /// <summary>The traces named by <paramref name="pattern"/>, e.g. <c>counterexamples/*.trace</c>.</summary>
    public TraceReplayAttribute(string pattern) => Pattern = pattern;

    /// <summary>Which traces to replay.</summary>
    public string Pattern { get; }

    /// <inheritdoc/>
    public override IEnumerable<object[]> GetData(MethodInfo testMethod)
    {
        var (files, root) = FileGlob.Find(Pattern);
        foreach (var f in files) yield return [new CounterexampleTrace(f, FileGlob.Display(f, root))];
    }
}
