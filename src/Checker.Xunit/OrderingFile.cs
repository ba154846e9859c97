using Xunit.Abstractions;

namespace Checker.Xunit;

/// <summary>
/// One ordering file given to a test by <see cref="OrderingPropertyAttribute"/>. The test calls
/// <see cref="Check()"/>, which fails — with the counterexample's step table — when the file's <c>expect</c> line is
/// not met. Shows in the test list as the file's path relative to where the pattern was found.
/// </summary>
public sealed class OrderingFile : IXunitSerializable
{
    /// <summary>For xunit's deserialization only.</summary>
    [Obsolete("for xunit's serialization only")]
    public OrderingFile()
    {
    }

    /// <summary>The file at <paramref name="path"/>, shown as <paramref name="display"/>.</summary>
    public OrderingFile(string path, string display)
    {
        Path = path;
        Display = display;
    }

    /// <summary>The full path of the file.</summary>
    public string Path { get; private set; } = "";

    /// <summary>The path as the test list shows it.</summary>
    public string Display { get; private set; } = "";

    /// <summary>Checks the file with the default strategy (auto, seed 1, bound 4, 200,000 schedules — what
    /// <c>checker check FILE</c> does) and fails unless its <c>expect</c> line is met.</summary>
    /// <exception cref="OrderingCheckException">The file does not parse, or its expectation is not met.</exception>
    public void Check() => OrderingChecks.AssertExpectation(Path, Display, new Exploration.ExplorationOptions());

    /// <summary>As <see cref="Check()"/>, with other options (a strategy, a seed, a bound).</summary>
    public void Check(Exploration.ExplorationOptions options) => OrderingChecks.AssertExpectation(Path, Display, options);

    /// <summary>The files matching <paramref name="pattern"/>, resolved as <see cref="OrderingPropertyAttribute"/>
    /// resolves it; for FsCheck properties and tests that pick their own files.</summary>
    public static IReadOnlyList<OrderingFile> Find(string pattern)
    {
        var (files, root) = FileGlob.Find(pattern);
        var list = new List<OrderingFile>();
        foreach (var f in files) list.Add(new OrderingFile(f, FileGlob.Display(f, root)));
        return list;
    }

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
