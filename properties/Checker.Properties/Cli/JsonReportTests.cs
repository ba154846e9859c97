using System.Text.Json;
using Checker.Cli;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Cli;

/// <summary><c>check --json</c>: the run as a typed document whose expectation and verdict are data.</summary>
public class JsonReportTests
{
    private static JsonElement[] Orderings(string json)
    {
        var list = new List<JsonElement>();
        foreach (var o in JsonDocument.Parse(json).RootElement.GetProperty("orderings").EnumerateArray()) list.Add(o.Clone());
        return [.. list];
    }

    [Fact]
    public void TheExpectationIsDataNotText()
    {
        using var dir = new TempDirectory();
        string none = dir.File("none.order");
        File.WriteAllText(none, System.Text.RegularExpressions.Regex.Replace(CatalogFiles.Text("mremap-6.6"), "(?m)^expect .*$", ""));
        var (exit, output, _) = CliRunner.Run("check", CatalogFiles.PathOf("nested-finish-6.0-only-end"), CatalogFiles.PathOf("mremap-6.6"), none,
            "--strategy", "exhaustive", "--json");
        Assert.Equal(0, exit);
        var o = Orderings(output);
        var listed = new List<string>();
        foreach (var id in o[0].GetProperty("expect").GetProperty("violations").EnumerateArray()) listed.Add(id.GetString()!);
        Assert.Equal(["invalid-notifier-range", "stale-secondary-after-flush"], listed);
        Assert.False(o[0].GetProperty("expect").TryGetProperty("pass", out _));
        Assert.True(o[1].GetProperty("expect").GetProperty("pass").GetBoolean());
        Assert.False(o[1].GetProperty("expect").TryGetProperty("violations", out _));
        Assert.Equal(JsonValueKind.Null, o[2].GetProperty("expect").ValueKind); // no expect line
    }

    [Theory]
    [InlineData("mremap-6.6", "10000000", "met", true, 0)]
    [InlineData("mremap-6.6", "20", "unproved", false, 2)] // the search cut by its state budget proves no pass
    [InlineData("mremap-6.0", "10000000", "met", true, 0)]
    public void TheVerdictIsInTheDocument(string name, string states, string verdict, bool met, int exit)
    {
        var run = CliRunner.Run("check", CatalogFiles.PathOf(name), "--strategy", "exhaustive", "--states", states, "--json");
        Assert.Equal(exit, run.Exit);
        var o = Orderings(run.Out)[0];
        Assert.Equal(verdict, o.GetProperty("verdict").GetString());
        Assert.Equal(met, o.GetProperty("met").GetBoolean());
    }

    [Fact]
    public void ADocumentReadsBackIntoTheSameText()
    {
        // merge reads shards into the type check writes: nothing may be lost or reordered on the way
        var (_, output, _) = CliRunner.Run("check", CatalogFiles.PathOf("nested-finish-6.6-intel"), CatalogFiles.PathOf("mremap-6.6"),
            "--strategy", "pct", "--schedules", "400", "--json");
        Assert.Contains("\"counterexamples\": {\n        \"stale-secondary-after-flush\": \"# checker counterexample", output);
        Assert.Equal(output, JsonReport.Serialize(JsonReport.Read(output)!));
    }
}
