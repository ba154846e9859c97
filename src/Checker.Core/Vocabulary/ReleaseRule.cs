namespace Checker.Vocabulary;

/// <summary>
/// A behaviour of the kernel that holds in some releases and not in others (DESIGN §3.7). The rows, with their
/// release ranges and commits, are <see cref="ReleaseRuleInfo"/>; the model asks a <see cref="RuleSet"/>.
/// </summary>
public enum ReleaseRule : byte
{
    /// <summary>The rule <c>tlb-flush-pending</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    TlbFlushPending,
    /// <summary>The rule <c>invalidate-range-hook</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    InvalidateRangeHook,
    /// <summary>The rule <c>end-invalidates-secondaries</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    EndInvalidatesSecondaries,
    /// <summary>The rule <c>gather-flush-invalidates-secondaries</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    GatherFlushInvalidatesSecondaries,
    /// <summary>The rule <c>ptep-clear-flush-notify</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    ClearFlushNotify,
    /// <summary>The rule <c>deferred-flush</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    DeferredFlush,
    /// <summary>The rule <c>tlb-flush-pending-counter</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    TlbFlushPendingCounter,
    /// <summary>The rule <c>tlb-flush-batched</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    TlbFlushBatched,
    /// <summary>The rule <c>nested-finish-widens</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    NestedFinishWidensByRange,
    /// <summary>The rule <c>nested-finish-resets-first</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    NestedFinishResetsFirst,
    /// <summary>The rule <c>nested-finish-fullmm</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    NestedFinishForcesFullFlush,
    /// <summary>The rule <c>invalidate-range-only-end</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    InvalidateRangeOnlyEnd,
    /// <summary>The rule <c>munmap-downgrades-mmap-lock</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    MunmapDowngradesMmapLock,
    /// <summary>The rule <c>gather-flushes-only-cleared</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    GatherFlushesOnlyWhatWasCleared,
    /// <summary>The rule <c>x86-mprotect-flushes-upgrades</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    X86MprotectFlushesUpgrades,
    /// <summary>The rule <c>arch-flush-invalidates-secondaries</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    ArchFlushInvalidatesSecondaries,
    /// <summary>The rule <c>change-pte</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    ChangePte,

    // §7 the page-table tree
    /// <summary>The rule <c>arm64-pte-free-tlb-defers</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    Arm64PteFreeTlbDefers,
    /// <summary>The rule <c>remove-table-one-flushes</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    RemoveTableOneFlushes,
    /// <summary>The rule <c>x86-pmd-free-pte-page-flushes</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    X86PmdFreePtePageFlushes,
    /// <summary>The rule <c>sva-invalidates-kernel-range</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    SvaInvalidatesKernelRange,
    /// <summary>The rule <c>tlb-flush-pmd-range</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    TlbFlushPmdRangeExists,
    // §8 dirty data (issue 13)
    /// <summary>The rule <c>zap-force-flush-dirty</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    ZapForceFlushDirty,
    /// <summary>The rule <c>tlb-flush-mmu-tlbonly</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    TlbFlushMmuTlbonly,
    /// <summary>The rule <c>delayed-rmap</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    DelayedRmap,
    /// <summary>The rule <c>tlb-flush-pending-bool</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    TlbFlushPendingBool,
    /// <summary>The rule <c>lazyfree-refcount-check</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    LazyfreeRefcountCheck,
    // issue 12: THP split (pmdp_invalidate) with a dirty bit on tracked huge PMDs
    /// <summary>The rule <c>split-dirty-from-invalidate</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    SplitDirtyFromInvalidate,
    /// <summary>The rule <c>split-ptes-dirty</c> (its meaning, releases and commits: <see cref="ReleaseRuleInfo"/>).</summary>
    SplitPtesDirty,
}
