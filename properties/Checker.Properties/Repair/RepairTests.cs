using System.Text.Json;
using Checker.Exploration;
using Checker.Language;
using Checker.Model;
using Checker.Properties.Support;
using Checker.Repair;
using Checker.Vocabulary;
using Xunit;

namespace Checker.Properties.Repair;

/// <summary><c>checker repair</c> (issue 15): every buggy catalog ordering gets a proved repair that keeps its op
/// lines — an edit of the path, or where none removes the violation, a helper or driver change; the seed's
/// fork conversion gets the seed's own fix; each edit kind, --all, --write, --json, --optimize and bad input.</summary>
public class RepairTests
{
    /// <summary>Buggy catalog orderings the repair cannot fix, and why (none today: since issue 15 a fix inside a kernel
    /// helper or a driver is a repair too, a <c>patch</c> line or a fixed driver mode, tried after every edit of the path).
    /// A file listed here must get "no repair" naming what no edit removes.</summary>
    public static readonly Dictionary<string, string> Unrepairable = new();

    /// <summary>An ordering no edit removes the violation of, path or helper: a kernel thread drops the page's only
    /// reference while the page is still mapped (no flush, notifier or later rule makes that safe), in the newest release.</summary>
    internal const string DroppedReference = "ordering a reference dropped while mapped\nkernel 6.19\npages 1\ncpus 1\nthread t\n  put_page 0\n";

    public static TheoryData<string> Buggy()
    {
        var data = new TheoryData<string>();
        foreach (var name in CatalogFiles.Names())
            if (CatalogFiles.Parse(name).Expect is { Pass: false }) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Buggy))]
    public void EveryBuggyCatalogOrderingGetsAProvedRepairThatKeepsItsOps(string name)
    {
        var original = CatalogFiles.Parse(name);
        var result = Repairer.Repair(original, CatalogFiles.PathOf(name), new RepairOptions());
        if (Unrepairable.ContainsKey(name))
        {
            Assert.True(result.Status == RepairStatus.NoRepair, $"{name}: {result.Status} {result.Note}");
            Assert.Contains("removes", result.Note ?? "", StringComparison.Ordinal); // names what no edit removes
            return;
        }
        Assert.True(result.Status == RepairStatus.Repaired, $"{name}: {result.Status} {result.Note}");
        var text = OrderingPrinter.Print(result.Fix!.Ordering);
        var repaired = Models.Parse(text, name + "-repaired.order");
        AssertKeepsEveryOp(original, repaired);
        Assert.True(repaired.Expect is { Pass: true });

        // proved again here, independently of the repair's own search
        var program = CompiledOrdering.Compile(repaired);
        var search = Explorer.Check(program, name, new ExplorationOptions { Strategy = StrategyKind.Exhaustive, Bound = 4 });
        Assert.True(search.Complete && search.Found.Count == 0, $"{name}: the repair does not pass the exhaustive search:\n{text}");
        var auto = Explorer.Check(program, name, new ExplorationOptions());
        Assert.True(auto.Found.Count == 0, $"{name}: the default strategy finds {string.Join(",", auto.Found)} in the repair:\n{text}");
    }

    [Fact]
    public void UnrepairableNamesOnlyBuggyCatalogFiles()
    {
        foreach (var name in Unrepairable.Keys)
            Assert.True(CatalogFiles.Parse(name).Expect is { Pass: false }, name);
    }

    private static void AssertKeepsEveryOp(Ordering original, Ordering repaired)
    {
        Assert.Equal(original.Threads.Count, repaired.Threads.Count);
        for (int t = 0; t < original.Threads.Count; t++)
        {
            var before = original.Threads[t].Ops;
            var after = repaired.Threads[t].Ops;
            // every original op line is still there (a moved flush stays in its thread)
            var left = new List<string>();
            foreach (var op in after) left.Add(op.ToString());
            foreach (var op in before)
                Assert.True(left.Remove(op.ToString()), $"thread {original.Threads[t].Name} lost '{op}'");
        }
    }

    private static RepairResult Repair(string name, RepairOptions? options = null) =>
        Repairer.Repair(CatalogFiles.Parse(name), CatalogFiles.PathOf(name), options ?? new RepairOptions());

    [Fact]
    public void TheSeedsForkConversionGetsTheSeedsFix()
    {
        var result = Repair("fork-6.0-only-end-no-ir");
        Assert.Equal(RepairStatus.Repaired, result.Status);
        var edit = Assert.Single(result.Fix!.Edits);
        Assert.Equal(RepairEditKind.Insert, edit.Kind);
        Assert.Equal("invalidate_range 0 ~0", edit.Line!.ToString());
        var ops = result.Original.Threads[edit.Thread].Ops;
        Assert.Equal(OpCode.FlushTlbMm, ops[edit.Position - 1].Code); // right after flush_tlb_mm

        // and it is the fixed twin of the catalog, op for op
        var fixedTwin = CatalogFiles.Parse("fork-6.0-only-end-ir-at-flush");
        var mine = new List<string>();
        foreach (var op in result.Fix.Ordering.Threads[0].Ops) mine.Add(op.ToString());
        var theirs = new List<string>();
        foreach (var op in fixedTwin.Threads[0].Ops) theirs.Add(op.ToString());
        Assert.Equal(theirs, mine);
        Assert.Equal(1, result.Fix.Cost.Invalidations);
        Assert.Contains("removes stale-secondary-after-flush", result.Fix.Removes[0], StringComparison.Ordinal);
    }

    [Fact]
    public void InsertsAFlushWhereOnlyACpuFlushHelps()
    {
        var result = Repair("clear_refs-5.10");
        var edit = Assert.Single(result.Fix!.Edits);
        Assert.Equal(RepairEditKind.Insert, edit.Kind);
        Assert.True(RepairCandidates.IsCpuFlush(edit.Line!.Code), edit.Line.ToString());
    }

    [Fact]
    public void NamesTheSecondaryInvalidationAsTheReleaseSpellsIt()
    {
        var result = Repair("fork-6.6-intel");
        var edit = Assert.Single(result.Fix!.Edits);
        Assert.Equal(OpCode.ArchInvalidateSecondaryTlbs, edit.Line!.Code);
        Assert.Equal(OpCode.InvalidateRange, Assert.Single(Repair("cow-6.0-no-notify").Fix!.Edits).Line!.Code);
    }

    [Fact]
    public void MovesTheFlushUnderThePageTableLock()
    {
        // eb66ae030829 (CVE-2018-18281): the historical fix moves the CPU flush of the old range under the locks
        var result = Repair("mremap-4.14-pre-eb66ae030829");
        var edit = Assert.Single(result.Fix!.Edits);
        Assert.Equal(RepairEditKind.Move, edit.Kind);
        Assert.Equal(OpCode.FlushTlbRange, result.Original.Threads[edit.Thread].Ops[edit.From].Code);
        Assert.True(edit.Position < edit.From);
    }

    [Fact]
    public void WrapsTheRunOfPteChangesInStartAndEnd()
    {
        var result = Repair("exit_mmap-6.0-no-release");
        var edit = Assert.Single(result.Fix!.Edits);
        Assert.Equal(RepairEditKind.Wrap, edit.Kind);
        Assert.Equal(OpCode.InvalidateRangeStart, edit.Line!.Code);
        Assert.Equal(OpCode.InvalidateRangeEnd, edit.Closing!.Code);
    }

    [Theory]
    [InlineData("tree-khugepaged-gup-fast", "khugepaged", OpCode.PteFree, OpCode.TlbRemoveTableSyncOne)] // 2ba99c5e0881: before pte_free
    // 1013af4f585f puts tlb_remove_table_sync_one after huge_pmd_unshare; since a thread of mm 1 may run any op (issue
    // 12), the first candidate there, flush_tlb_mm of mm 1, is found first: on x86 its IPIs wait for mm 1's GUP-fast
    // walker just the same (§7.6 rule 4)
    [InlineData("tree-huge-pmd-unshare-gup-fast", "unshare", OpCode.Unlock, OpCode.FlushTlbMm)]
    public void InsertsTheIpiThatWaitsForGupFast(string name, string thread, OpCode next, OpCode ipi)
    {
        // §7: an op whose IPI waits for GUP-fast, where the fixed twin has tlb_remove_table_sync_one
        var result = Repair(name);
        Assert.Equal(RepairStatus.Repaired, result.Status);
        var edit = Assert.Single(result.Fix!.Edits);
        Assert.Equal(RepairEditKind.Insert, edit.Kind);
        Assert.Equal(ipi, edit.Line!.Code);
        Assert.Equal(thread, result.Original.Threads[edit.Thread].Name);
        Assert.Equal(next, result.Original.Threads[edit.Thread].Ops[edit.Position].Code);
        Assert.True(RepairCandidates.IsCpuFlush(edit.Line.Code)); // counted as a CPU flush
    }

    [Fact]
    public void ProposesTheTreeOpsOnlyWhereTheReleaseAndTheOrderingHaveThem()
    {
        static List<RepairEdit> Inserts(string name, OpCode code) =>
            RepairCandidates.For(CatalogFiles.Parse(name)).FindAll(e => e.Kind == RepairEditKind.Insert && e.Line!.Code == code);

        // the kernel flush over the kernel page the thread names (5e0fb5df2ee8's op)
        var kernel = Inserts("tree-pmd-free-pte-page", OpCode.FlushTlbKernelRange);
        Assert.NotEmpty(kernel);
        Assert.All(kernel, e => Assert.Equal("k0 k1", e.Line!.Range!.ToString()));
        Assert.True(RepairCandidates.IsCpuFlush(OpCode.FlushTlbKernelRange));
        // iommu_sva_invalidate_kva_range: from 6.19 only (e37d5a2d60a3), and only with a device; in 6.18 only together
        // with the patch that brings it (issue 15: a helper change, costed after every path edit)
        Assert.All(Inserts("tree-sva-kernel-pte-table", OpCode.IommuSvaInvalidateKvaRange), e => Assert.Equal(ReleaseRule.SvaInvalidatesKernelRange, e.Rule));
        string text = CatalogFiles.Text("tree-sva-kernel-pte-table").Replace("kernel 6.18", "kernel 6.19");
        var sva = RepairCandidates.For(Models.Parse(text, "sva-6.19.order"))
            .FindAll(e => e.Kind == RepairEditKind.Insert && e.Line!.Code == OpCode.IommuSvaInvalidateKvaRange);
        Assert.NotEmpty(sva);
        Assert.All(sva, e => Assert.Null(e.Rule));
        Assert.Empty(Inserts("tree-pmd-free-pte-page", OpCode.IommuSvaInvalidateKvaRange)); // no device
        // no tree, none of them
        Assert.Empty(Inserts("fork-6.0-only-end-no-ir", OpCode.TlbRemoveTableSyncOne));
        Assert.Empty(Inserts("fork-6.0-only-end-no-ir", OpCode.FlushTlbKernelRange));
    }

    [Fact]
    public void TheSvaKernelInvalidationCountsAsASecondaryInvalidationCall()
    {
        string text = CatalogFiles.Text("tree-sva-kernel-pte-table-fixed").Replace("  pmd_free_pte_page k0", "  pmd_free_pte_page k0\n  iommu_sva_invalidate_kva_range");
        var ordering = Models.Parse(text, "sva.order");
        var plain = EditedOrdering.Apply(CatalogFiles.Parse("tree-sva-kernel-pte-table-fixed"), []);
        Assert.True(plain.Compile("plain.order"));
        var with = EditedOrdering.Apply(ordering, []);
        Assert.True(with.Compile("sva.order"));
        Assert.Equal(Repairer.CostOf(plain, 0).Invalidations + 1, Repairer.CostOf(with, 0).Invalidations);
    }

    [Fact]
    public void AViolationNoEditRemovesSaysSoWithExitTwo()
    {
        using var dir = new TempDirectory();
        string path = dir.File("dropped.order");
        File.WriteAllText(path, DroppedReference);
        var (exit, output, _) = CliRunner.Run("repair", path);
        Assert.Equal(2, exit);
        Assert.Contains("no repair: no candidate edit removes use-after-free", output);
        Assert.Contains("neither an edit of the path nor a later helper or driver behaviour", output);
        var result = Repairer.Repair(Models.Parse(DroppedReference, path), path, new RepairOptions { DefaultStrategy = false });
        Assert.Equal(RepairStatus.NoRepair, result.Status);
    }

    [Fact]
    public void AnOrderingThatPassesSaysSoWithExitZero()
    {
        var (exit, output, _) = CliRunner.Run("repair", CatalogFiles.PathOf("fork-6.0"));
        Assert.Equal(0, exit);
        Assert.Contains("already passes: no violation, proved within bound 4", output);
        Assert.DoesNotContain("@@", output);
    }

    [Fact]
    public void TheTextIsAUnifiedDiffWithTheCostsAndTheProof()
    {
        var (exit, output, error) = CliRunner.Run("repair", CatalogFiles.PathOf("fork-6.0-only-end-no-ir"));
        Assert.True(exit == 0, error);
        Assert.Contains("-expect violation stale-secondary-after-flush\n    +expect pass", output);
        Assert.Contains("     flush_tlb_mm # CPU flush only; the matching ->invalidate_range is missing\n    +  invalidate_range 0 ~0 # repair: removes stale-secondary-after-flush at step 9 of counterexample 1\n", output);
        Assert.Matches(@"cost: before 0 secondary invalidation calls, 0 pages dropped, 1 CPU flush op; after 1 secondary invalidation call, 2 pages dropped, 1 CPU flush op", output);
        Assert.Matches(@"proved within bound 4, [\d,]+ states \(\+ 200,000 pct schedules\)", output);
    }

    [Fact]
    public void AllListsTheOtherRepairsOfEqualCostEachProved()
    {
        var result = Repair("fork-6.0-only-end-no-ir", new RepairOptions { All = true, DefaultStrategy = false });
        Assert.NotEmpty(result.Alternatives);
        foreach (var alt in result.Alternatives)
        {
            Assert.True(alt.Cost.SameWork(result.Fix!.Cost));
            var program = CompiledOrdering.Compile(Models.Parse(OrderingPrinter.Print(alt.Ordering), "alt.order"));
            var search = Explorer.Check(program, "alt", new ExplorationOptions { Strategy = StrategyKind.Exhaustive });
            Assert.True(search.Complete && search.Found.Count == 0);
        }
        var (_, output, _) = CliRunner.Run("repair", "--all", CatalogFiles.PathOf("fork-6.0-only-end-no-ir"));
        Assert.Contains("also minimal: insert 'invalidate_range 0 2' in fork after 'flush_tlb_mm'", output);
    }

    [Fact]
    public void WriteSavesTheRepairedOrderingWhichPasses()
    {
        using var dir = new TempDirectory();
        string path = dir.File("fixed.order");
        var (exit, output, error) = CliRunner.Run("repair", CatalogFiles.PathOf("fork-6.0-only-end-no-ir"), "--write", path);
        Assert.True(exit == 0, error);
        Assert.Contains("wrote " + path, output);
        var (checkExit, checkOut, _) = CliRunner.Run("check", path, "--strategy", "exhaustive");
        Assert.True(checkExit == 0, checkOut);

        var (twoExit, _, twoError) = CliRunner.Run("repair", CatalogFiles.PathOf("fork-6.0"), CatalogFiles.PathOf("mremap-6.0"), "--write", path);
        Assert.Equal(1, twoExit);
        Assert.Contains("--write needs exactly one ordering, found 2", twoError);

        string kept = dir.File("none.order");
        string dropped = dir.File("dropped.order");
        File.WriteAllText(dropped, DroppedReference);
        var (noExit, _, noError) = CliRunner.Run("repair", dropped, "--write", kept);
        Assert.Equal(2, noExit);
        Assert.Contains("not written", noError);
        Assert.False(File.Exists(kept));
    }

    [Fact]
    public void JsonCarriesTheEditsTheCostsAndTheDiff()
    {
        var (exit, output, error) = CliRunner.Run("repair", "--json", CatalogFiles.PathOf("fork-6.0-only-end-no-ir"), CatalogFiles.PathOf("fork-6.0"));
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        var orderings = doc.RootElement.GetProperty("orderings");
        Assert.Equal(2, orderings.GetArrayLength());
        var first = orderings[0];
        Assert.Equal("repaired", first.GetProperty("status").GetString());
        var edit = first.GetProperty("repair").GetProperty("edits")[0];
        Assert.Equal("insert", edit.GetProperty("kind").GetString());
        Assert.Equal("invalidate_range 0 ~0", edit.GetProperty("op").GetString());
        Assert.Equal(0, first.GetProperty("costBefore").GetProperty("invalidations").GetInt32());
        Assert.Equal(1, first.GetProperty("repair").GetProperty("cost").GetProperty("invalidations").GetInt32());
        Assert.Contains("+  invalidate_range 0 ~0", first.GetProperty("repair").GetProperty("diff").GetString());
        Assert.Equal("passes", orderings[1].GetProperty("status").GetString());
        Assert.True(orderings[0].GetProperty("states").GetInt64() > 0);
    }

    [Fact]
    public void HtmlShowsTheDiffBesideTheCounterexample()
    {
        using var dir = new TempDirectory();
        string path = dir.File("repair.html");
        var (exit, _, error) = CliRunner.Run("repair", CatalogFiles.PathOf("fork-6.0-only-end-no-ir"), "--html", path);
        Assert.True(exit == 0, error);
        string html = File.ReadAllText(path);
        Assert.Contains("<span class=\"add\">+  invalidate_range 0 ~0", html);
        Assert.Contains("stale-secondary-after-flush at step 9 on the original", html);
    }

    [Fact]
    public void BadInputIsADiagnosticWithExitOne()
    {
        using var dir = new TempDirectory();
        string bad = dir.File("bad.order");
        File.WriteAllText(bad, "thread t\n  frobnicate 0\n");
        var (exit, _, error) = CliRunner.Run("repair", bad);
        Assert.Equal(1, exit);
        Assert.Contains(bad + ":2:3: error:", error);
        var (missingExit, _, missingError) = CliRunner.Run("repair", dir.File("missing.order"));
        Assert.Equal(1, missingExit);
        Assert.Contains("no such file", missingError);
        var (noneExit, _, noneError) = CliRunner.Run("repair");
        Assert.Equal(1, noneExit);
        Assert.Contains("no files given", noneError);
    }

    [Fact]
    public void OptimizeFindsTheDoubleNotificationAndProvesItRedundant()
    {
        // the fixed fork conversion, but with end() left in place: its ->invalidate_range is the double notification
        // 0f10851ea475 was written to remove, since the invalidate_range next to flush_tlb_mm covers it
        string text = CatalogFiles.Text("fork-6.0-only-end-ir-at-flush").Replace("invalidate_range_only_end 0 2", "invalidate_range_end 0 2");
        var ordering = Models.Parse(text, "double.order");
        var result = Repairer.Repair(ordering, "double.order", new RepairOptions { Optimize = true });
        Assert.Equal(RepairStatus.AlreadyPasses, result.Status);
        var redundant = Assert.Single(result.Redundant);
        Assert.Equal(RepairEditKind.Replace, redundant.Kind);
        Assert.Equal(OpCode.InvalidateRangeOnlyEnd, redundant.Line!.Code);
        Assert.True(result.Optimized!.Cost.Invalidations < result.Before.Invalidations);
        var program = CompiledOrdering.Compile(Models.Parse(OrderingPrinter.Print(result.Optimized.Ordering), "opt.order"));
        Assert.True(Explorer.Check(program, "opt", new ExplorationOptions { Strategy = StrategyKind.Exhaustive }).Found.Count == 0);

        // a second explicit invalidation right after the first is removed
        string twice = CatalogFiles.Text("fork-6.0-only-end-ir-at-flush");
        int at = twice.IndexOf("  invalidate_range 0 ~0", StringComparison.Ordinal);
        twice = twice.Insert(at, "  invalidate_range 0 2\n");
        var second = Repairer.Repair(Models.Parse(twice, "twice.order"), "twice.order", new RepairOptions { Optimize = true, DefaultStrategy = false });
        Assert.Equal(RepairEditKind.Remove, Assert.Single(second.Redundant).Kind);
    }

    [Fact]
    public void OptimizeOnEveryPassingCatalogOrderingProvesWhatItRemoves()
    {
        foreach (var name in CatalogFiles.Names())
        {
            var original = CatalogFiles.Parse(name);
            if (original.Expect is not { Pass: true }) continue;
            var result = Repairer.Repair(original, CatalogFiles.PathOf(name), new RepairOptions { Optimize = true, DefaultStrategy = false });
            Assert.True(result.Status == RepairStatus.AlreadyPasses, $"{name}: {result.Status} {result.Note}");
            if (result.Redundant.Count == 0) continue;
            var program = CompiledOrdering.Compile(Models.Parse(OrderingPrinter.Print(result.Optimized!.Ordering), name));
            var search = Explorer.Check(program, name, new ExplorationOptions { Strategy = StrategyKind.Exhaustive });
            Assert.True(search.Complete && search.Found.Count == 0, name);
        }
    }

    [Fact]
    public void TheUnifiedDiffHasHunksWithContext()
    {
        string a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
        string b = "1\n2\n3\n4\nnew\n5\n6\n7\n8\n9\n10\n";
        Assert.Equal("--- a\n+++ b\n@@ -2,6 +2,7 @@\n 2\n 3\n 4\n+new\n 5\n 6\n 7\n", UnifiedDiff.Of(a, b, "a", "b"));
        Assert.Equal("--- a\n+++ b\n", UnifiedDiff.Of(a, a, "a", "b"));
    }
}
