using Checker.Exploration;
using Checker.Language;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Catalog;

/// <summary>The saved counterexamples replay forever, and every buggy catalog ordering has one that is up to
/// date with the catalog file.</summary>
public class CounterexampleCorpusTests
{
    private static string Directory => Path.Combine(AppContext.BaseDirectory, "counterexamples");

    public static TheoryData<string> Traces()
    {
        var data = new TheoryData<string>();
        var files = System.IO.Directory.GetFiles(Directory, "*.trace");
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var f in files) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Traces))]
    public void TheSavedCounterexampleStillReproducesItsViolation(string file)
    {
        string path = Path.Combine(Directory, file);
        var (trace, diagnostics) = TraceFile.Parse(File.ReadAllText(path), path);
        Assert.True(trace is not null, string.Join("\n", diagnostics));
        var replay = TraceFile.Replay(trace!);
        Assert.True(replay.Reproduced, $"{file}: {replay.Message}");
    }

    public static TheoryData<string> BuggyOrderings()
    {
        var data = new TheoryData<string>();
        foreach (var name in CatalogFiles.Names())
            if (CatalogFiles.Parse(name).Expect is { Pass: false }) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(BuggyOrderings))]
    public void EveryBuggyCatalogOrderingHasAnUpToDateCounterexample(string name)
    {
        var catalog = CatalogFiles.Parse(name);
        var files = System.IO.Directory.GetFiles(Directory, name + ".*.trace");
        Assert.True(files.Length > 0, $"no counterexample saved for {name}: run 'checker check catalog --save-trace counterexamples'");
        foreach (var f in files)
        {
            var (trace, diagnostics) = TraceFile.Parse(File.ReadAllText(f), f);
            Assert.True(trace is not null, string.Join("\n", diagnostics));
            var embedded = OrderingParser.Parse(trace!.OrderingText, f).Ordering!;
            Assert.True(OrderingPrinter.Print(embedded) == OrderingPrinter.Print(catalog),
                $"{Path.GetFileName(f)} embeds an older version of {name}.order: save it again with --save-trace counterexamples --overwrite");
        }
    }
}
