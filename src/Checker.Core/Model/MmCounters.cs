namespace Checker.Model;

/// <summary>The mm-wide counters of DESIGN §3.1: <c>mm->tlb_flush_pending</c>, <c>mm->tlb_flush_batched</c>,
/// the active invalidations (start without end) and the interval-notifier sequence; <see cref="Attached"/> is
/// false once <c>mmu_notifier_release</c> detached the secondaries (or when there are none);
/// <see cref="Released"/> says the former.</summary>
public readonly record struct MmCounters(int TlbFlushPending, int TlbFlushBatched, int ActiveInvalidations, int Seq, bool Attached, bool Released);
