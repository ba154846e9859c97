using Checker.Language;
using Checker.Properties.Support;
using Checker.Vocabulary;
using Xunit;

namespace Checker.Properties.Language;

/// <summary>Issue 15: the <c>patch RULE</c> header — a release rule at its next change after the file's release.</summary>
public class PatchHeaderTests
{
    private const string Body = "pages 1\ncpus 1\nthread t\n  flush_tlb_mm\n";

    [Fact]
    public void APatchTurnsOnARuleOfALaterReleaseAndOffOneThatEndsLater()
    {
        var on = Models.Parse("kernel 5.17\npatch lazyfree-refcount-check\n" + Body);
        Assert.False(RuleSet.For(on.Kernel).Has(ReleaseRule.LazyfreeRefcountCheck));
        Assert.True(on.Rules.Has(ReleaseRule.LazyfreeRefcountCheck));
        var off = Models.Parse("kernel 5.10\npatch gather-flush-invalidates-secondaries\n" + Body);
        Assert.True(RuleSet.For(off.Kernel).Has(ReleaseRule.GatherFlushInvalidatesSecondaries));
        Assert.False(off.Rules.Has(ReleaseRule.GatherFlushInvalidatesSecondaries));
        // nothing else moves
        Assert.Equal(RuleSet.For(off.Kernel).Bits ^ 1UL << (int)ReleaseRule.GatherFlushInvalidatesSecondaries, off.Rules.Bits);
    }

    [Fact]
    public void APatchMakesALaterOpAvailable()
    {
        string text = "kernel 6.1\npages 1\nfile 0 1\nthread t\n  mmap_read_lock\n  tlb_gather_mmu\n  tlb_flush_rmaps\n  tlb_finish_mmu\n  mmap_read_unlock\n";
        var refused = OrderingParser.Parse(text, "bad.order");
        Assert.False(refused.Ok);
        Assert.Contains("tlb_flush_rmaps does not exist in kernel 6.1: it needs rule delayed-rmap", refused.Diagnostics[0].ToString());
        Assert.True(OrderingParser.Parse(text.Replace("pages 1\n", "pages 1\npatch delayed-rmap\n"), "ok.order").Ok);
    }

    [Fact]
    public void PrintsAndParsesBack()
    {
        string text = "kernel 5.10\npages 1\ncpus 1\npatch gather-flush-invalidates-secondaries # 6bbd42e2df8f\npatch arch-flush-invalidates-secondaries\nexpect pass\n\nthread t\n  flush_tlb_mm\n";
        var ordering = Models.Parse(text);
        Assert.Equal(text, OrderingPrinter.Print(ordering));
        Assert.Equal(ordering, Models.Parse(OrderingPrinter.Print(ordering)));
        Assert.Equal(2, ordering.Patches.Count);
    }

    private static string Error(string header)
    {
        var result = OrderingParser.Parse(header + "\n" + Body, "bad.order");
        Assert.False(result.Ok);
        return Assert.Single(result.Diagnostics).ToString();
    }

    [Fact]
    public void AnUnknownRuleIsADiagnosticWithTheClosestName() =>
        Assert.Equal("bad.order:2:7: error: unknown release rule 'delayed-rmaps' — did you mean 'delayed-rmap'? ('checker list' prints the release rules)",
            Error("kernel 6.1\npatch delayed-rmaps"));

    [Fact]
    public void ARuleWithNoLaterChangeIsRefused() =>
        Assert.Equal("bad.order:2:1: error: rule delayed-rmap does not change after kernel 6.2 (it holds in 6.2+; 5df397dec7c4 (v6.2)): there is no later behaviour to patch in — remove the line; 'patch' models a helper's fix that the file's release does not have yet",
            Error("kernel 6.2\npatch delayed-rmap"));

    [Fact]
    public void ADuplicatePatchAndARuleTheModelNeverAsksAreRefused()
    {
        Assert.Equal("bad.order:3:1: error: duplicate 'patch delayed-rmap' (first at line 2) — keep one of them",
            Error("kernel 6.1\npatch delayed-rmap\npatch delayed-rmap"));
        Assert.StartsWith("bad.order:2:1: error: rule munmap-downgrades-mmap-lock is a fact for the paths, which the model never asks",
            Error("kernel 4.14\npatch munmap-downgrades-mmap-lock"));
        Assert.StartsWith("bad.order:2:1: error: patch needs", Error("kernel 6.1\npatch"));
    }
}
