using System.Text.Json;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Cli;

/// <summary><c>checker merge</c>: the shards of one <c>--shard I/N</c> run combine into the whole run's
/// verdict, and only all of them do.</summary>
public class MergeCommandTests
{
    private static string Shard(TempDirectory dir, string file, string strategy, int shard, int shards, params string[] more)
    {
        string path = dir.File($"{strategy}-{shard}.json");
        var (exit, output, _) = CliRunner.Run(["check", file, "--strategy", strategy, "--schedules", "3000", "--shard", $"{shard}/{shards}", "--json", .. more]);
        Assert.NotEqual(3, exit);
        File.WriteAllText(path, output);
        return path;
    }

    private static JsonElement Ordering(string json) => JsonDocument.Parse(json).RootElement.GetProperty("orderings")[0].Clone();

    private static string[] Found(JsonElement o)
    {
        var found = new List<string>();
        foreach (var f in o.GetProperty("found").EnumerateArray()) found.Add(f.GetString()!);
        return [.. found];
    }

    [Theory]
    [InlineData("fork-6.0-only-end-no-ir", "pct")]
    [InlineData("fork-6.0-only-end-no-ir", "exhaustive")]
    [InlineData("mremap-6.6", "auto")]
    [InlineData("reclaim-vs-mprotect-4.14-pre-3ea277194daa", "random")]
    [InlineData("mremap-6.0", "random")]
    [InlineData("nested-finish-6.6-intel", "auto")]
    public void MergedShardsGiveTheUnshardedVerdict(string name, string strategy)
    {
        using var dir = new TempDirectory();
        string file = CatalogFiles.PathOf(name);
        var whole = CliRunner.Run("check", file, "--strategy", strategy, "--schedules", "3000", "--json");
        var merged = CliRunner.Run("merge", Shard(dir, file, strategy, 0, 3), Shard(dir, file, strategy, 1, 3), Shard(dir, file, strategy, 2, 3));
        Assert.Equal(whole.Exit, merged.Exit);
        var (w, m) = (Ordering(whole.Out), Ordering(merged.Out));
        Assert.Equal(Found(w), Found(m));
        Assert.Equal(w.GetProperty("met").GetBoolean(), m.GetProperty("met").GetBoolean());
        Assert.Equal(w.GetProperty("schedules").GetInt64(), m.GetProperty("schedules").GetInt64()); // the shards' schedules partition the run's
        Assert.Equal(w.GetProperty("complete").GetBoolean(), m.GetProperty("complete").GetBoolean());
        Assert.Equal(w.GetProperty("states").GetInt64(), m.GetProperty("states").GetInt64()); // the search is shard 0's, whole
        Assert.Contains("\"shard\": \"merged 3 of 3\"", merged.Out);
        // the whole document, counterexamples included, is the unsharded run's
        Assert.Equal(whole.Out.Replace("\"shard\": \"0/1\"", "\"shard\": \"merged 3 of 3\""), merged.Out);
    }

    [Fact]
    public void MergeKeepsTheCounterexampleTheUnshardedRunKeeps()
    {
        // seed 3: shard 0's best candidate is schedule 308, shard 1's is 303; both shrink to one environment
        // action and nine steps, so ranking the shrunk results (and then by shard) kept 308, the unsharded run 303
        using var dir = new TempDirectory();
        string file = CatalogFiles.PathOf("fork-6.0-only-end-no-ir");
        var whole = CliRunner.Run("check", file, "--strategy", "random", "--schedules", "3000", "--seed", "3", "--json");
        var merged = CliRunner.Run("merge", Shard(dir, file, "random", 0, 2, "--seed", "3"), Shard(dir, file, "random", 1, 2, "--seed", "3"));
        Assert.Contains("found-by random, seed 3, schedule 303", whole.Out);
        Assert.Equal(whole.Out.Replace("\"shard\": \"0/1\"", "\"shard\": \"merged 2 of 2\""), merged.Out);
    }

    [Fact]
    public void AMissingShardIsAnError()
    {
        using var dir = new TempDirectory();
        string file = CatalogFiles.PathOf("mremap-6.6");
        var (exit, output, error) = CliRunner.Run("merge", Shard(dir, file, "exhaustive", 0, 3), Shard(dir, file, "exhaustive", 2, 3));
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("checker merge: error: shard 1/3 is missing: without every part, the merged run would claim what no machine explored — pass the --json result of every shard", error);
    }

    [Fact]
    public void AShardGivenTwiceIsAnError()
    {
        using var dir = new TempDirectory();
        string zero = Shard(dir, CatalogFiles.PathOf("mremap-6.6"), "pct", 0, 2);
        var (exit, _, error) = CliRunner.Run("merge", zero, zero);
        Assert.Equal(1, exit);
        Assert.Contains("shard 0/2 is given twice — merge only the shards of one run", error);
    }

    [Fact]
    public void TheExhaustiveSearchIsShardZerosWhole()
    {
        string file = CatalogFiles.PathOf("mremap-6.6");
        var whole = CliRunner.Run("check", file, "--strategy", "exhaustive", "--no-timing");
        var zero = CliRunner.Run("check", file, "--strategy", "exhaustive", "--shard", "0/2", "--no-timing");
        var one = CliRunner.Run("check", file, "--strategy", "exhaustive", "--shard", "1/2", "--no-timing");
        Assert.Contains("complete: no violation within bound 4, 527 states", whole.Out);
        Assert.Contains("complete: no violation within bound 4, 527 states", zero.Out);
        Assert.Contains("exhaustive search: on shard 0/2", one.Out);
        Assert.DoesNotContain("states", one.Out.Split('\n')[2]);
    }

    [Fact]
    public void AShardThatRanNoneOfAnOrderingLeavesTheVerdictToMerge()
    {
        // shard 1/2 under exhaustive explores nothing: it neither fails the buggy ordering nor warns about it
        var one = CliRunner.Run("check", CatalogFiles.PathOf("mremap-6.0"), "--strategy", "exhaustive", "--shard", "1/2", "--no-timing");
        Assert.Equal(0, one.Exit);
        Assert.Contains("partial", one.Out);
        Assert.Contains("1 ordering: 1 partial, 0 unmet", one.Out);
        Assert.DoesNotContain("[WRN]", one.Err);
        // a shard that finds the listed violation is partial too
        var listed = CliRunner.Run("check", CatalogFiles.PathOf("mremap-6.0"), "--strategy", "pct", "--schedules", "2000", "--shard", "1/2", "--no-timing");
        Assert.Contains("stale-secondary-after-flush", listed.Out);
        Assert.Equal(0, listed.Exit);
        // but a shard that finds an unexpected violation fails at once: no other shard can undo it
        using var dir = new TempDirectory();
        string passing = dir.File("claims-pass.order");
        File.WriteAllText(passing, CatalogFiles.Text("mremap-6.0").Replace("expect violation stale-secondary-after-flush", "expect pass"));
        var unexpected = CliRunner.Run("check", passing, "--strategy", "pct", "--schedules", "2000", "--shard", "1/2", "--no-timing");
        Assert.Equal(2, unexpected.Exit);
        Assert.Contains("UNMET", unexpected.Out);
    }

    [Fact]
    public void ShardsOfDifferentOrderingListsAreRefused()
    {
        using var dir = new TempDirectory();
        string all = dir.File("all.json"), one = dir.File("one.json");
        File.WriteAllText(all, CliRunner.Run("check", CatalogFiles.PathOf("mremap-6.0"), CatalogFiles.PathOf("mremap-6.6"), "--strategy", "pct", "--schedules", "500", "--shard", "0/2", "--json").Out);
        File.WriteAllText(one, CliRunner.Run("check", CatalogFiles.PathOf("mremap-6.0"), "--strategy", "pct", "--schedules", "500", "--shard", "1/2", "--json").Out);
        var (exit, _, error) = CliRunner.Run("merge", all, one);
        Assert.Equal(1, exit);
        Assert.Contains("holds 1 orderings", error);
        Assert.Contains("— merge only the shards of one run", error);
    }

    [Fact]
    public void TheSameFileTwiceMergesEntryByEntry()
    {
        using var dir = new TempDirectory();
        string file = CatalogFiles.PathOf("mremap-6.0");
        var whole = CliRunner.Run("check", file, file, "--strategy", "pct", "--schedules", "600", "--json");
        string zero = dir.File("0.json"), one = dir.File("1.json");
        File.WriteAllText(zero, CliRunner.Run("check", file, file, "--strategy", "pct", "--schedules", "600", "--shard", "0/2", "--json").Out);
        File.WriteAllText(one, CliRunner.Run("check", file, file, "--strategy", "pct", "--schedules", "600", "--shard", "1/2", "--json").Out);
        var merged = CliRunner.Run("merge", zero, one);
        Assert.Equal(whole.Out.Replace("\"shard\": \"0/1\"", "\"shard\": \"merged 2 of 2\""), merged.Out);
    }

    [Theory]
    [InlineData("{}", "bad.json:1:3: error: not a checker --json result: no 'strategy', 'seed'")]
    [InlineData("[1, 2]", "bad.json:1:2: error: not a checker --json result: the document is not a JSON object")]
    [InlineData("{\"strategy\": \"pct\",", "bad.json:1:19: error: not a checker --json result: Expected start of a property name or value, but instead reached end of data.")]
    [InlineData("null", "is not the --json result of one shard: the document is null")]
    [InlineData("merged", "has shard 'merged 2 of 2', not I/N — merge the shards' own results, not a merged one")]
    public void WhatIsNotAShardsResultIsAUsageError(string content, string message)
    {
        using var dir = new TempDirectory();
        string file = CatalogFiles.PathOf("mremap-6.6");
        string zero = Shard(dir, file, "pct", 0, 2), one = Shard(dir, file, "pct", 1, 2);
        string bad = dir.File("bad.json");
        File.WriteAllText(bad, content == "merged" ? CliRunner.Run("merge", zero, one).Out : content);
        var (exit, output, error) = CliRunner.Run("merge", bad, one);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains(message, error);
        Assert.DoesNotContain("internal error", error);
    }

    [Theory]
    [InlineData("\"expect\": {\n        \"pass\": true\n      }", "\"expect\": \"pass\"", // the text of an older checker
        "not a checker --json result: a value of the wrong kind at $.orderings[0].expect")]
    [InlineData("\"pass\": true", "\"pass\": false", "ordering 1 has an 'expect' that is neither {\"pass\": true} nor {\"violations\": [\"id\", …]}")]
    [InlineData("\"pass\": true", "\"violations\": [\"no-such-invariant\"]", "ordering 1 has an unknown invariant 'no-such-invariant' in 'expect'")]
    [InlineData("\"seed\": 1,", "\"seed\": \"1\",", "not a checker --json result: a value of the wrong kind at $.seed")]
    [InlineData("\"verdict\": \"partial\",", "", "not a checker --json result: no 'verdict' in the object at $.orderings[0]")]
    [InlineData("\"file\": \"", "\"file\": null, \"x\": \"", "not a checker --json result: a null at $.orderings[0].file")]
    [InlineData("\"found\": []", "\"found\": [null]", "ordering 1 lists an unknown invariant in 'found'")]
    public void AShardWithAMalformedFieldIsAUsageError(string field, string replacement, string message)
    {
        using var dir = new TempDirectory();
        string file = CatalogFiles.PathOf("mremap-6.6");
        string zero = Shard(dir, file, "pct", 0, 2), one = Shard(dir, file, "pct", 1, 2);
        string text = File.ReadAllText(zero);
        Assert.Contains(field, text);
        File.WriteAllText(zero, text.Replace(field, replacement));
        var (exit, output, error) = CliRunner.Run("merge", zero, one);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error); // no stack trace
        Assert.DoesNotContain("internal error", error);
    }
}
