using System.Text.Json;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Tree;

/// <summary>
/// §7 in the HTML report and in <c>--json</c> (issue 12: "every report shows the new state"): the state table gets a walk
/// column per CPU and device (a stale walk entry in red), the PUD/PMD entries, the table frames with owner and
/// references, and the GUP-fast walkers; the JSON document gets, per counterexample, the same state at each step. A file
/// without §7 lines gets none of it, so its report is what it was.
/// </summary>
public sealed class TreeReportTests
{
    private static string Html(string name)
    {
        using var dir = new TempDirectory();
        string html = dir.File("r.html");
        var (exit, _, err) = CliRunner.Run("check", CatalogFiles.PathOf(name), "--strategy", "exhaustive", "--html", html);
        Assert.True(exit == 0, err);
        return File.ReadAllText(html);
    }

    private static string StateTable(string html)
    {
        int start = html.IndexOf("<table class=\"state\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "no state table");
        int end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        int trace = html.IndexOf("<details>", start, StringComparison.Ordinal);
        return html[start..Math.Min(end, trace)];
    }

    private static JsonElement Json(string name)
    {
        var (exit, output, err) = CliRunner.Run("check", CatalogFiles.PathOf(name), "--strategy", "exhaustive", "--json");
        Assert.True(exit == 0, err);
        return JsonDocument.Parse(output).RootElement.GetProperty("orderings")[0].Clone();
    }

    [Fact]
    public void TheHtmlStateTableShowsTheStaleWalkEntryTheFreedTableAndThePmdEntries()
    {
        string table = StateTable(Html("tree-remove-table-one"));
        Assert.Contains("<th>cpu0 walk</th><th>PUD/PMD</th><th>tables</th><th>frames</th>", table);
        // step 7 (the violating walk): cpu0 still holds W1[0] -> t3, which tlb_remove_table_one freed
        Assert.Contains("<tr class=\"violating\" data-step=\"7\">", table);
        string violating = table[table.IndexOf("<tr class=\"violating\"", StringComparison.Ordinal)..];
        Assert.Contains("<td class=\"mono\">W2&gt;t2 <span class=\"stale\">W1[0]&gt;t3!</span></td>", violating);
        Assert.Contains("<td class=\"mono\">pud&gt;t2 [0]-</td>", violating);
        Assert.Contains("<td class=\"mono\">t2:pmd/mm/1 <span class=\"stale\">t3:pte0/free</span></td>", violating);
        // before the cpu walked, no walk entry; the initial tree links t3 in region 0
        Assert.Contains("<td class=\"mono\">pud&gt;t2 [0]&gt;t3</td><td class=\"mono\">t2:pmd/mm/1 t3:pte0/mm/1</td>", table);
        Golden.Verify("html-tree-remove-table-one-state.html", table);
    }

    [Fact]
    public void TheHtmlStateTableShowsTheSharedPmdTablesReferencesAndTheGupFastWindow()
    {
        string table = StateTable(Html("tree-huge-pmd-unshare-gup-fast"));
        Assert.Contains("<th>GUP-fast</th>", table);
        // mm 1's PUD points at mm 0's PMD table: two references, then one after huge_pmd_unshare
        Assert.Contains("<td class=\"mono\">pud&gt;t1 [0]huge mm1 pud&gt;t1</td><td class=\"mono\">t1:pmd/mm/2</td><td class=\"mono\">gup0:-</td>", table);
        Assert.Contains("<td class=\"mono\">huge_pmd_unshare 0</td><td class=\"mono\">f0w</td><td class=\"mono\">pud&gt;t1 [0]huge mm1 pud -</td><td class=\"mono\">t1:pmd/mm/1</td><td class=\"mono\">gup0:g1 p0&gt;t1</td>", table);
    }

    [Fact]
    public void AnOrderingWithoutTheTreeGetsNoTreeColumns()
    {
        string html = Html("fork-6.0-only-end-no-ir");
        Assert.DoesNotContain("W2&gt;", html);
        string table = StateTable(html);
        Assert.DoesNotContain(" walk</th>", table);
        Assert.DoesNotContain("PUD/PMD", table);
        Assert.DoesNotContain("<th>tables</th>", table);
        Assert.False(Json("fork-6.0-only-end-no-ir").TryGetProperty("treeSteps", out _));
    }

    [Fact]
    public void TheJsonDocumentHoldsTheTreeAtEveryStepOfTheCounterexample()
    {
        var o = Json("tree-remove-table-one");
        var steps = o.GetProperty("treeSteps").GetProperty("walk-after-free");
        Assert.Equal(8, steps.GetArrayLength()); // the initial state and seven steps
        var first = steps[0];
        Assert.Equal(0, first.GetProperty("step").GetInt32());
        Assert.Equal("table", first.GetProperty("pmd")[0].GetProperty("kind").GetString());
        Assert.Equal(3, first.GetProperty("pmd")[0].GetProperty("table").GetInt32());
        var last = steps[7];
        Assert.Equal("cpu0", last.GetProperty("actor").GetString());
        Assert.Equal("read 0", last.GetProperty("op").GetString());
        Assert.Equal(2, last.GetProperty("pud").GetInt32());
        Assert.Equal("none", last.GetProperty("pmd")[0].GetProperty("kind").GetString());
        var pte0 = last.GetProperty("tables")[1];
        Assert.Equal("pte0", pte0.GetProperty("role").GetString());
        Assert.Equal("free", pte0.GetProperty("owner").GetString());
        Assert.Equal(0, pte0.GetProperty("refs").GetInt32());
        var walks = last.GetProperty("cpuWalks")[0];
        Assert.Equal("W1[0]", walks[1].GetProperty("level").GetString());
        Assert.Equal(3, walks[1].GetProperty("table").GetInt32());
        Assert.True(walks[1].GetProperty("stale").GetBoolean());
        Assert.False(walks[0].GetProperty("stale").GetBoolean());
        var (_, output, _) = CliRunner.Run("check", CatalogFiles.PathOf("tree-remove-table-one"), "--strategy", "exhaustive", "--json");
        Golden.Verify("json-tree-remove-table-one.json", CliRunner.Relative(output));
    }

    [Fact]
    public void TheJsonDocumentOfASharedPmdNamesBothPudsAndTheWalker()
    {
        var steps = Json("tree-huge-pmd-unshare-gup-fast").GetProperty("treeSteps").GetProperty("use-after-free");
        var first = steps[0];
        Assert.Equal(1, first.GetProperty("pud1").GetInt32());
        Assert.Equal(2, first.GetProperty("tables")[0].GetProperty("refs").GetInt32());
        Assert.Equal(0, first.GetProperty("gups")[0].GetProperty("phase").GetInt32());
        var afterUnshare = steps[3];
        Assert.Equal(-1, afterUnshare.GetProperty("pud1").GetInt32());
        Assert.Equal(1, afterUnshare.GetProperty("tables")[0].GetProperty("refs").GetInt32());
        Assert.Equal(1, afterUnshare.GetProperty("gups")[0].GetProperty("phase").GetInt32());
        Assert.Equal(1, afterUnshare.GetProperty("gups")[0].GetProperty("mm").GetInt32());
    }

    [Fact]
    public void MergedShardsKeepTheTreeSteps()
    {
        using var dir = new TempDirectory();
        string file = CatalogFiles.PathOf("tree-remove-table-one");
        var whole = CliRunner.Run("check", file, "--strategy", "exhaustive", "--json");
        var parts = new List<string>();
        for (int k = 0; k < 2; k++)
        {
            string path = dir.File($"s{k}.json");
            File.WriteAllText(path, CliRunner.Run("check", file, "--strategy", "exhaustive", "--shard", $"{k}/2", "--json").Out);
            parts.Add(path);
        }
        var merged = CliRunner.Run(["merge", .. parts]);
        Assert.Contains("\"treeSteps\"", whole.Out);
        Assert.Equal(whole.Out.Replace("\"shard\": \"0/1\"", "\"shard\": \"merged 2 of 2\""), merged.Out);
    }
}
