namespace Checker.Vocabulary;

/// <summary>
/// A behaviour of the kernel that holds in some releases and not in others (DESIGN §3.7). The rows, with their
/// release ranges and commits, are <see cref="ReleaseRuleInfo"/>; the model asks a <see cref="RuleSet"/>.
/// </summary>
public enum ReleaseRule : byte
{
    TlbFlushPending,
    InvalidateRangeHook,
    EndInvalidatesSecondaries,
    GatherFlushInvalidatesSecondaries,
    ClearFlushNotify,
    DeferredFlush,
    TlbFlushPendingCounter,
    TlbFlushBatched,
    NestedFinishWidensByRange,
    NestedFinishResetsFirst,
    NestedFinishForcesFullFlush,
    InvalidateRangeOnlyEnd,
    MunmapDowngradesMmapLock,
    GatherFlushesOnlyWhatWasCleared,
    X86MprotectFlushesUpgrades,
    ArchFlushInvalidatesSecondaries,
    ChangePte,
}
