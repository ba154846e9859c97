using Checker.Exploration;
using Checker.Language;
using Checker.Model;
using Checker.Vocabulary;
using Xunit;
using static Checker.Properties.Support.Models;

namespace Checker.Properties.Model;

/// <summary>
/// The release table (DESIGN §3.7), row by row: for every rule the model asks, a small path whose outcome — the
/// diagnostic, the violation, the caches, the counters — differs on the two sides of each of the rule's boundaries
/// (the release before <c>From</c> and <c>From</c>; the release before <c>Until</c> and <c>Until</c>). A rule
/// implemented with another row's range, or not asked at all, makes its boundary look alike and fails here.
/// </summary>
public sealed class ReleaseRuleTests
{
    private sealed record Scenario(string Header, string Threads, string Schedule);

    private const string Device = "pages 2\ncpus 1\nsecondary sva exact\n";
    private const string CpuOnly = "pages 2\ncpus 1\n";

    private static readonly Dictionary<ReleaseRule, Scenario> Scenarios = new()
    {
        [ReleaseRule.TlbFlushPending] = new(CpuOnly, "thread t\n  if tlb_flush_pending flush_tlb_mm\n", "t*1"),
        [ReleaseRule.InvalidateRangeHook] = new(Device, "thread t\n  invalidate_range 0 2\n", "dev0: read 0\nt*1"),
        [ReleaseRule.EndInvalidatesSecondaries] = new(Device,
            "thread t\n  invalidate_range_start 0 2\n  invalidate_range_end 0 2\n", "dev0: read 0\nt*2"),
        // a fullmm gather zapping page 1 has [0x1000, ~0): 3.19-6.5 hand it raw to the hook, 6.6 passes (0, ~0)
        [ReleaseRule.GatherFlushInvalidatesSecondaries] = new(Device,
            "thread t\n  tlb_gather_mmu_fullmm\n  zap_pte_range 1\n  tlb_finish_mmu 0 2\n", "dev0: read 0\nt*3"),
        [ReleaseRule.ClearFlushNotify] = new(Device, "thread t\n  ptep_clear_flush_notify 0\n", "dev0: read 0\nt*1"),
        [ReleaseRule.DeferredFlush] = new(CpuOnly, "thread t\n  set_tlb_ubc_flush_pending 0\n  try_to_unmap_flush\n", "cpu0: read 0\nt*2"),
        // from 4.13 every mmu_gather counts in mm->tlb_flush_pending
        [ReleaseRule.TlbFlushPendingCounter] = new(CpuOnly,
            "thread t\n  tlb_gather_mmu\n  if tlb_flush_pending flush_tlb_mm\n  tlb_finish_mmu 0 2\n", "t*3"),
        [ReleaseRule.TlbFlushBatched] = new(CpuOnly, "thread t\n  set_tlb_ubc_flush_pending 0\n", "t*1"),
        // two gathers alive: a's tlb_finish_mmu sees mm_tlb_flush_nested()
        [ReleaseRule.NestedFinishWidensByRange] = new(Device,
            "thread a\n  tlb_gather_mmu\n  tlb_finish_mmu 0 1\nthread b\n  tlb_gather_mmu\n  tlb_finish_mmu 0 1\n",
            "cpu0: read 0\ndev0: read 0\na: tlb_gather_mmu\nb: tlb_gather_mmu\na: tlb_finish_mmu 0 1"),
        // a zapped page 1 but passes [0, 1): widening keeps page 1 in the flush, resetting first drops it
        [ReleaseRule.NestedFinishResetsFirst] = new(CpuOnly,
            "thread a\n  tlb_gather_mmu\n  zap_pte_range 1\n  tlb_finish_mmu 0 1\nthread b\n  tlb_gather_mmu\n  tlb_finish_mmu 0 1\n",
            "cpu0: read 1\na: tlb_gather_mmu\na: zap_pte_range 1\nb: tlb_gather_mmu\na: tlb_finish_mmu 0 1"),
        [ReleaseRule.NestedFinishForcesFullFlush] = new(Device,
            "thread a\n  tlb_gather_mmu\n  tlb_finish_mmu 0 1\nthread b\n  tlb_gather_mmu\n  tlb_finish_mmu 0 1\n",
            "cpu0: read 0\ndev0: read 0\na: tlb_gather_mmu\nb: tlb_gather_mmu\na: tlb_finish_mmu 0 1"),
        [ReleaseRule.InvalidateRangeOnlyEnd] = new(Device,
            "thread t\n  invalidate_range_start 0 2\n  invalidate_range_only_end 0 2\n", "dev0: read 0\nt*2"),
        // clear_refs' shape: a fullmm gather that clears nothing
        [ReleaseRule.GatherFlushesOnlyWhatWasCleared] = new(CpuOnly,
            "thread t\n  tlb_gather_mmu_fullmm\n  tlb_finish_mmu 0 2\n", "cpu0: read 0\nt*2"),
        [ReleaseRule.X86MprotectFlushesUpgrades] = new("arch x86\npages 2\ncpus 1\nreadonly 0 1\n",
            "thread t\n  change_protection 0 1 rw\n", "cpu0: read 0\nt*1"),
        [ReleaseRule.ArchFlushInvalidatesSecondaries] = new(Device, "thread t\n  flush_tlb_range 0 2\n", "dev0: read 0\nt*1"),
        [ReleaseRule.ChangePte] = new(CpuOnly, "thread t\n  change_pte 0\n", "t*1"),
        // §7 the page-table tree
        // before 4.20 arm64's __pte_free_tlb TLBIs the table's address at once: the leaf of page 0 goes with it
        [ReleaseRule.Arm64PteFreeTlbDefers] = new("arch arm64\npages 2\nhugepage 2\ncpus 1\n",
            "thread t\n  tlb_gather_mmu\n  pmd_clear 0\n  pte_free_tlb 0\n", "cpu0: read 0\nt*3"),
        // tlb_remove_table_one flushes the gather first from 4.19: the walk entries and the zapped leaf go
        [ReleaseRule.RemoveTableOneFlushes] = new("arch x86\npages 2\nhugepage 2\ncpus 1\n",
            "thread t\n  tlb_gather_mmu\n  zap_pte_range 0\n  pmd_clear 0\n  pte_free_tlb 0 nobatch\n", "cpu0: read 0\nt*4\ncpu0: read 1"),
        [ReleaseRule.X86PmdFreePtePageFlushes] = new("arch x86\npages 2\nhugepage 2\nkernel_pages 2\ncpus 1\n",
            "thread t\n  pmd_free_pte_page k0\n", "cpu0: prefetch k0\nt*1\ncpu0: prefetch k0"),
        [ReleaseRule.SvaInvalidatesKernelRange] = new("arch x86\npages 2\nhugepage 2\nkernel_pages 2\ncpus 0\nsecondary sva exact\n",
            "thread t\n  pmd_free_pte_page k0\n", "dev0: prefetch k0\nt*1\ndev0: prefetch k0"),
        [ReleaseRule.TlbFlushPmdRangeExists] = new("pages 2\nhugepage 2\ncpus 1\n",
            "thread t\n  tlb_gather_mmu\n  tlb_flush_pmd_range 0 2\n", "t*2"),
        // §8 (issue 13): a dirty page-cache PTE zapped: from 3.15 force_flush makes the conditional flush run
        [ReleaseRule.ZapForceFlushDirty] = new(FileCpu,
            "thread t\n  tlb_gather_mmu\n  zap_pte_range 0\n  if force_flush flush_tlb_mm\n", "cpu0: write 0\nt*3"),
        [ReleaseRule.TlbFlushMmuTlbonly] = new(CpuOnly, "thread t\n  tlb_gather_mmu\n  tlb_flush_mmu_tlbonly\n", "t*2"),
        // from 6.2 the zapped dirty page-cache PTE keeps its rmap: mapcount 1 until tlb_flush_rmaps
        [ReleaseRule.DelayedRmap] = new(FileCpu, "thread t\n  tlb_gather_mmu\n  zap_pte_range 0\n", "cpu0: write 0\nt*2"),
        [ReleaseRule.TlbFlushPendingBool] = new(CpuOnly, "thread t\n  set_tlb_flush_pending\n", "t*1"),
        // a GUP pin on a clean lazy-free page: discarded before 5.18, kept from 5.18 (refcount = 2 + mapcount)
        [ReleaseRule.LazyfreeRefcountCheck] = new("pages 2\ncpus 1\nlazyfree 0 1\n",
            "thread g\n  get_user_pages 0\nthread r\n  get_page 0\n  pte_clear 0\n  lazyfree_discard 0\n", "g*1\nr*3"),
        // issue 12: a store while the split runs: before 4.16 it lands between the split's read of D and its invalidation
        [ReleaseRule.SplitDirtyFromInvalidate] = new("pages 2\nhugepage 2\nhuge 0 2\nlazyfree 0 2\ncpus 1\n",
            "thread t\n  split_huge_pmd 0\n  pte_clear 0\n  lazyfree_discard 0\n  force_flush\n", "t*1\ncpu0: write 0\nt*3"),
        // issue 12: from 6.2 the split PTEs of a dirty huge PMD are dirty too (pte_dirty reads the PTE)
        [ReleaseRule.SplitPtesDirty] = new("pages 2\nhugepage 2\nhuge 0 2\nlazyfree 0 2\ncpus 1\n",
            "thread t\n  split_huge_pmd 0\n  if pte_dirty 0 force_flush\n", "cpu0: write 0\nt*2"),
    };

    private const string FileCpu = "pages 2\ncpus 1\nfile 0 1\n";

    /// <summary>What a scenario does in one release, as a line to compare: unavailable (the diagnostic), or the
    /// violation, the CPU TLB and IOTLB, the secondary invalidations and full flushes, and the mm counters.</summary>
    private static string Observe(ReleaseRule rule, KernelRelease release)
    {
        var scenario = Scenarios[rule];
        var parsed = OrderingParser.Parse($"kernel {release}\n" + scenario.Header + scenario.Threads, "rule.order");
        if (!parsed.Ok) return "unavailable: " + parsed.Diagnostics[0].Message.Replace($"kernel {release}:", "kernel R:", StringComparison.Ordinal);
        var program = CompiledOrdering.Compile(parsed.Ordering!);
        var machine = new Machine(program);
        var result = Executor.Run(machine, Schedule(program, scenario.Schedule));
        Assert.False(result.Diverged, $"{rule} at {release}: {result.Divergence}");
        var s = machine.State;
        return $"violation={result.Violation?.Name ?? "none"} tlb={Tlb(machine)} iotlb={(s.Devices > 0 ? Iotlb(machine) : 0)} "
            + $"invalidations={result.Costs.SecondaryInvalidations} full={result.Costs.FullFlushes} "
            + $"pending={s.I[s.TlbFlushPending]} batched={s.I[s.TlbFlushBatched]}"
            + (s.HasDirty // §8: frame 0's dirty-data state
                ? $" pgdirty={s.I[s.FramePgDirty]} mapcount={machine.MapcountForTests(0)} discarded={s.I[s.FrameDiscarded]} force_flush={s.I[s.ForceFlushFlag]}"
                : "")
            + TreeWalks(machine);
    }

    /// <summary>§7: the walk entries of CPU 0 and device 0, when the tree is on.</summary>
    private static string TreeWalks(Machine machine)
    {
        var s = machine.State;
        if (s.Tree is not { } tree) return "";
        var sb = new System.Text.StringBuilder(" walks=");
        if (s.Cpus > 0)
        {
            sb.Append("w2:").Append(s.I[s.TlbW2]);
            for (int r = 0; r < tree.Regions; r++) sb.Append(" w1:").Append(s.I[s.TlbW1 + r]);
            for (int j = 0; j < tree.KernelRegions; j++) sb.Append(" w1k:").Append(s.I[s.TlbW1k + j]);
        }
        for (int j = 0; j < tree.KernelRegions && s.Devices > 0; j++) sb.Append(" dev w1k:").Append(s.I[s.IotlbW1k + j]);
        return sb.ToString();
    }

    public static TheoryData<ReleaseRule, string> Boundaries()
    {
        var data = new TheoryData<ReleaseRule, string>();
        foreach (var row in ReleaseRuleInfo.All)
        {
            if (!row.AskedByModel) continue;
            if (row.From != KernelRelease.Oldest) data.Add(row.Rule, row.From.ToString());
            if (row.Until is { } until) data.Add(row.Rule, until.ToString());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Boundaries))]
    public void EachRuleChangesTheOutcomeExactlyAtItsBoundary(ReleaseRule rule, string boundary)
    {
        Assert.True(KernelRelease.TryParse(boundary, out var at, out _));
        string before = Observe(rule, at.Previous), after = Observe(rule, at);
        Assert.True(before != after, $"{ReleaseRuleInfo.Of(rule).Name}: {at.Previous} and {at} behave alike: {before}");
        // and nothing else changes there: one release further on each side, the outcome is the same
        var row = ReleaseRuleInfo.Of(rule);
        if (at.Previous.Previous >= KernelRelease.Oldest && !IsBoundary(at.Previous))
            Assert.Equal(Observe(rule, at.Previous.Previous), before);
    }

    private static bool IsBoundary(KernelRelease r)
    {
        foreach (var row in ReleaseRuleInfo.All)
            if (row.From == r || row.Until == r) return true;
        return false;
    }

    [Fact]
    public void EveryRuleTheModelAsksHasABoundaryScenario()
    {
        foreach (var row in ReleaseRuleInfo.All)
        {
            Assert.Equal(row.AskedByModel, Scenarios.ContainsKey(row.Rule));
            Assert.True(row.AskedByModel || row.Rule == ReleaseRule.MunmapDowngradesMmapLock, $"{row.Name} is not asked by the model");
        }
    }

    // The table pinned against the kernel's history (DESIGN §3.7, corrected where the source says otherwise: the
    // empty-gather test changed in 5.6, x86 mprotect stopped flushing upgrades in 5.19). Changing a range is a
    // deliberate edit of both.
    [Theory]
    [InlineData(ReleaseRule.TlbFlushPending, "3.13+")]
    [InlineData(ReleaseRule.InvalidateRangeHook, "3.19+")]
    [InlineData(ReleaseRule.EndInvalidatesSecondaries, "up to 6.5")]
    [InlineData(ReleaseRule.GatherFlushInvalidatesSecondaries, "3.19-6.5")]
    [InlineData(ReleaseRule.ClearFlushNotify, "up to 6.5")]
    [InlineData(ReleaseRule.DeferredFlush, "4.3+")]
    [InlineData(ReleaseRule.TlbFlushPendingCounter, "4.13+")]
    [InlineData(ReleaseRule.TlbFlushBatched, "4.13+")]
    [InlineData(ReleaseRule.NestedFinishWidensByRange, "4.13-5.1")]
    [InlineData(ReleaseRule.NestedFinishResetsFirst, "4.20-5.1")]
    [InlineData(ReleaseRule.NestedFinishForcesFullFlush, "5.2+")]
    [InlineData(ReleaseRule.InvalidateRangeOnlyEnd, "4.15-6.5")]
    [InlineData(ReleaseRule.MunmapDowngradesMmapLock, "4.20+")]
    [InlineData(ReleaseRule.GatherFlushesOnlyWhatWasCleared, "5.6+")]
    [InlineData(ReleaseRule.X86MprotectFlushesUpgrades, "up to 5.18")]
    [InlineData(ReleaseRule.ArchFlushInvalidatesSecondaries, "6.6+")]
    [InlineData(ReleaseRule.ChangePte, "up to 6.9")]
    [InlineData(ReleaseRule.Arm64PteFreeTlbDefers, "4.20+")]
    [InlineData(ReleaseRule.RemoveTableOneFlushes, "4.19+")]
    [InlineData(ReleaseRule.X86PmdFreePtePageFlushes, "4.19+")]
    [InlineData(ReleaseRule.SvaInvalidatesKernelRange, "6.19+")]
    [InlineData(ReleaseRule.TlbFlushPmdRangeExists, "5.16+")]
    [InlineData(ReleaseRule.ZapForceFlushDirty, "3.15+")]
    [InlineData(ReleaseRule.TlbFlushMmuTlbonly, "3.15+")]
    [InlineData(ReleaseRule.DelayedRmap, "6.2+")]
    [InlineData(ReleaseRule.TlbFlushPendingBool, "3.13-4.12")]
    [InlineData(ReleaseRule.LazyfreeRefcountCheck, "5.18+")]
    [InlineData(ReleaseRule.SplitDirtyFromInvalidate, "4.16+")]
    [InlineData(ReleaseRule.SplitPtesDirty, "6.2+")]
    public void EachRuleHoldsInTheReleasesTheKernelHistoryGives(ReleaseRule rule, string releases) =>
        Assert.Equal(releases, ReleaseRuleInfo.Of(rule).Releases);

    [Fact]
    public void TheTableIsWellFormed()
    {
        foreach (var row in ReleaseRuleInfo.All)
        {
            Assert.True(row.From >= KernelRelease.Oldest, row.Name);
            Assert.True(row.Until is null || row.Until > row.From, row.Name);
            Assert.Equal(row.Until is null, row.Removed is null);
            Assert.Matches(@"^[a-z0-9-]+$", row.Name);
            Assert.Matches(@"[0-9a-f]{12}|\(before 3\.10\)", row.Introduced);
        }
    }

    // A nested tlb_finish_mmu on a device-attached mm, on both sides of 7a30df49f63a (5.2) and of 6.6: 5.1 flushes the
    // caller's range, 5.2-6.5 send (~0, ~0) to the secondaries, 6.6 sends (0, ~0) through the arch flush.
    [Theory]
    [InlineData("4.20", "none", 1L)]
    [InlineData("5.1", "none", 1L)]
    [InlineData("5.2", "invalid-notifier-range", 1L)]
    [InlineData("6.5", "invalid-notifier-range", 1L)]
    [InlineData("6.6", "none", 1L)]
    public void NestedFinishAcrossItsReleases(string release, string violation, long invalidations)
    {
        Assert.True(KernelRelease.TryParse(release, out var r, out _));
        string seen = Observe(ReleaseRule.NestedFinishForcesFullFlush, r);
        Assert.StartsWith($"violation={violation} ", seen);
        Assert.Contains($" invalidations={invalidations} ", seen);
    }
}
