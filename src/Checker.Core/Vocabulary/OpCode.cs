namespace Checker.Vocabulary;

/// <summary>Every op of the ordering language, named as the kernel names it (DESIGN §2).</summary>
public enum OpCode : byte
{
    // locks
    MmapReadLock,
    MmapReadUnlock,
    MmapWriteLock,
    MmapWriteUnlock,
    PtlLock,
    PtlUnlock,
    Lock,
    Unlock,

    // mmu_notifier
    InvalidateRangeStart,
    InvalidateRangeEnd,
    InvalidateRangeOnlyEnd,
    InvalidateRange,
    ArchInvalidateSecondaryTlbs,
    ChangePte,
    Release,

    // page-table entries
    PteClear,
    PteWrprotect,
    PteMkwrite,
    PteInstall,
    PteRestore,
    PteMove,
    PtepSetAccessFlags,

    // pages
    CopyPage,
    GetPage,
    PutPage,

    // CPU TLB
    FlushTlbRange,
    FlushTlbPage,
    FlushTlbMm,
    PtepClearFlush,
    PtepClearFlushNotify,
    IncTlbFlushPending,
    DecTlbFlushPending,
    SetTlbUbcFlushPending,
    TryToUnmapFlush,
    FlushTlbBatchedPending,

    // mmu_gather
    TlbGatherMmu,
    TlbGatherMmuFullmm,
    ZapPteRange,
    ChangeProtection,
    TlbFlushMmu,
    TlbFinishMmu,

    // scheduling
    WaitPte,

    // environment (explicit threads only)
    Read,
    Write,
    Prefetch,
    Fault,
    Reuse,
}
