using Checker.Exploration;
using Checker.Language;
using Checker.Model;
using Checker.Properties.Support;
using Checker.Repair;
using Checker.Vocabulary;
using Xunit;

namespace Checker.Properties.Repair;

/// <summary>Issue 15: the repairs outside the path. When no edit of the path removes a violation, the repair changes a
/// kernel helper (a <c>patch RULE</c> line: the rule at its later behaviour) or a driver (a shadow mode that is a driver
/// bug, fixed); each kind repairs a file, and where a path edit also works the path edit is chosen.</summary>
public class HelperRepairTests
{
    private static RepairResult Repair(string name, RepairOptions? options = null) =>
        Repairer.Repair(CatalogFiles.Parse(name), CatalogFiles.PathOf(name), options ?? new RepairOptions { DefaultStrategy = false });

    private static bool PassesExhaustively(Ordering ordering)
    {
        var program = CompiledOrdering.Compile(Models.Parse(OrderingPrinter.Print(ordering), "edited.order"));
        var search = Explorer.Check(program, "edited", new ExplorationOptions { Strategy = StrategyKind.Exhaustive, Bound = 4 });
        return search.Complete && search.Found.Count == 0;
    }

    [Theory]
    [InlineData("nested-finish-6.0", ReleaseRule.GatherFlushInvalidatesSecondaries)] // 6bbd42e2df8f: the gather flush stops calling the hook
    [InlineData("fault-upgrade-arm64-6.0", ReleaseRule.ArchFlushInvalidatesSecondaries)] // 6bbd42e2df8f: the arch flush reaches the SMMU
    [InlineData("lazyfree-gup-5.17", ReleaseRule.LazyfreeRefcountCheck)] // 6c8e2a256915
    [InlineData("tree-pmd-free-pte-page", ReleaseRule.X86PmdFreePtePageFlushes)] // 5e0fb5df2ee8
    [InlineData("tree-sva-kernel-pte-table", ReleaseRule.SvaInvalidatesKernelRange)] // e37d5a2d60a3
    [InlineData("tree-thp-split-dirty", ReleaseRule.SplitDirtyFromInvalidate)] // d52605d7cb30 (issue 12)
    public void PatchesTheHelperWhenNoEditOfThePathRemovesTheViolation(string name, ReleaseRule rule)
    {
        var result = Repair(name);
        Assert.True(result.Status == RepairStatus.Repaired, $"{result.Status} {result.Note}");
        var edit = Assert.Single(result.Fix!.Edits);
        Assert.Equal(RepairEditKind.Patch, edit.Kind);
        Assert.Equal(rule, edit.Rule);
        Assert.Equal(1, result.Fix.Cost.HelperChanges);
        var patch = Assert.Single(result.Fix.Ordering.Patches);
        Assert.Equal(rule, patch.Rule);
        Assert.Contains("the helper change of " + ReleaseRuleInfo.Of(rule).NextChangeCommit(result.Original.Kernel), patch.Trivia.Trailing);
        Assert.Contains("no edit of the path removes it; the fix is inside the kernel helper", edit.Describe(result.Original));
        Assert.True(PassesExhaustively(result.Fix.Ordering));
        // the rule now differs from the release's own value, and from nothing else
        Assert.Equal(RuleSet.For(result.Original.Kernel).Bits ^ 1UL << (int)rule, result.Fix.Ordering.Rules.Bits);
    }

    [Fact]
    public void APathEditIsChosenWhereAHelperChangeAlsoWorks()
    {
        // the seed's fork conversion also passes with 6.6's arch flush patched in, but one invalidate_range is cheaper
        var original = CatalogFiles.Parse("fork-6.0-only-end-no-ir");
        var patched = EditedOrdering.Apply(original, [new RepairEdit(RepairEditKind.Patch, -1, 0, null, Rule: ReleaseRule.ArchFlushInvalidatesSecondaries)]);
        Assert.True(patched.Compile("patched.order"));
        Assert.True(PassesExhaustively(patched.Ordering));
        Assert.Contains(RepairCandidates.For(original), e => e.Kind == RepairEditKind.Patch && e.Rule == ReleaseRule.ArchFlushInvalidatesSecondaries);

        var result = Repair("fork-6.0-only-end-no-ir");
        var edit = Assert.Single(result.Fix!.Edits);
        Assert.False(edit.ChangesHelper);
        Assert.Equal(0, result.Fix.Cost.HelperChanges);
        Assert.Empty(result.Fix.Ordering.Patches);
        // and any helper change costs more than any edit of the path, however many calls the path edit adds
        Assert.True(new RepairCost(9, 9, 9, 3).CompareTo(new RepairCost(0, 0, 0, 1, HelperChanges: 1)) < 0);
    }

    [Fact]
    public void FixesADriverModeThatIsADriverBug()
    {
        var result = Repair("shadow-dontneed-6.6-no-retry");
        Assert.True(result.Status == RepairStatus.Repaired, $"{result.Status} {result.Note}");
        var edit = Assert.Single(result.Fix!.Edits);
        Assert.Equal(RepairEditKind.Driver, edit.Kind);
        var shadow = Assert.Single(result.Fix.Ordering.Shadows);
        Assert.Equal(ShadowMode.Interval, shadow.Mode);
        Assert.Contains("the fix is inside the driver", edit.Describe(result.Original));
        Assert.Equal(1, result.Fix.Cost.DriverChanges);
        Assert.Equal(0, result.Fix.Cost.HelperChanges);
        // the repaired file is the fixed twin's header, op for op
        var twin = CatalogFiles.Parse("shadow-dontneed-6.6");
        Assert.Equal(OrderingPrinter.HeaderText(Assert.Single(twin.Shadows)), OrderingPrinter.HeaderText(shadow));
    }

    [Fact]
    public void NoDriverChangeWhereTheDriverIsNotABug()
    {
        Assert.DoesNotContain(RepairCandidates.For(CatalogFiles.Parse("shadow-dontneed-6.6")), e => e.Kind == RepairEditKind.Driver);
        foreach (var row in ShadowModeInfo.All)
            if (row.Fix is { } fix) Assert.Null(ShadowModeInfo.Of(fix).Fix); // a fix is not itself a bug
    }

    [Fact]
    public void InsertsAnOpOfALaterReleaseTogetherWithItsPatch()
    {
        // 5df397dec7c4 (v6.2): tlb_flush_rmaps after the forced flush, as zap-dirty-6.2 has it
        var original = CatalogFiles.Parse("zap-dirty-6.1");
        var inserts = RepairCandidates.For(original).FindAll(e => e.Kind == RepairEditKind.Insert && e.Line!.Code == OpCode.TlbFlushRmaps);
        Assert.NotEmpty(inserts);
        Assert.All(inserts, e => Assert.Equal(ReleaseRule.DelayedRmap, e.Rule));
        var ops = original.Threads[0].Ops;
        int at = ops.Count;
        for (int i = 0; i < ops.Count; i++)
            if (ops[i].Code == OpCode.PtlUnlock) { at = i; break; }
        var edit = inserts.Find(e => e.Thread == 0 && e.Position == at)!;
        var edited = EditedOrdering.Apply(original, [edit]);
        Assert.True(edited.Compile("edited.order"));
        Assert.Equal(ReleaseRule.DelayedRmap, Assert.Single(edited.Ordering.Patches).Rule);
        Assert.Equal(1, edited.HelperChanges);
        var twin = CatalogFiles.Parse("zap-dirty-6.2");
        Assert.Equal(Texts(twin.Threads[0].Ops), Texts(edited.Ordering.Threads[0].Ops));
        Assert.True(PassesExhaustively(edited.Ordering));
        // the patch alone also passes and is one line less: the repair chooses it
        var result = Repair("zap-dirty-6.1");
        Assert.Equal(RepairEditKind.Patch, Assert.Single(result.Fix!.Edits).Kind);

        // without the tree and a device, no iommu_sva_invalidate_kva_range; no later op where the release has it
        Assert.DoesNotContain(RepairCandidates.For(original), e => e.Line?.Code == OpCode.IommuSvaInvalidateKvaRange);
        Assert.DoesNotContain(RepairCandidates.For(CatalogFiles.Parse("zap-dirty-6.2")), e => e.Rule is not null && e.Kind == RepairEditKind.Insert);
    }

    private static List<string> Texts(IReadOnlyList<OpLine> ops)
    {
        var list = new List<string>();
        foreach (var op in ops) list.Add(op.ToString());
        return list;
    }

    [Fact]
    public void TheTextSaysTheFixIsInsideTheHelper()
    {
        var (exit, output, error) = CliRunner.Run("repair", CatalogFiles.PathOf("lazyfree-gup-5.17"));
        Assert.True(exit == 0, error);
        Assert.Contains("repair: 'patch lazyfree-refcount-check' — no edit of the path removes it; the fix is inside the kernel helper (6c8e2a256915 (v5.18))", output);
        Assert.Contains("+patch lazyfree-refcount-check # repair: the helper change of 6c8e2a256915 (v5.18): removes lost-dirty", output);
        Assert.Contains("1 kernel helper change", output);
    }
}
