namespace Peers.FsCheck;

public enum Code
{
    Lock, Unlock, PtlUnlock, InvalidateRangeStart, InvalidateRangeEnd, InvalidateRangeOnlyEnd, InvalidateRange,
    PteWrprotect, PteMove, FlushTlbRange, FlushTlbMm, FlushTlbBatchedPending, TlbGatherMmu, ZapPteRange, TlbFinishMmu,
}

public enum DeviceAction { Read, Write, Prefetch }

/// <summary>The locks a kernel op takes (it may run only when that lock is free) or drops.</summary>
public enum LockName { None, MmapWrite, Ptl, IMmap }

/// <summary>One op of a kernel thread, as the .order file writes it (<see cref="Text"/>); <see cref="Range"/> is a
/// page mask, <see cref="Shift"/> pte_move's page offset.</summary>
public sealed record KernelOp(string Text, Code Code, int Range = 0, int Shift = 0, LockName Lock = LockName.None)
{
    public override string ToString() => Text;
}

public sealed record KernelThread(string Name, KernelOp[] Ops);

/// <summary>One catalog ordering, transcribed: its header (pages, kernel, the initially present pages, the bound)
/// and its threads. One device (dev0) and the allocator are always there, as in generated mode.</summary>
public sealed record Scenario(string Name, string Expect, int Pages, bool Kernel66, int InitialPresent, int Bound,
    IReadOnlyList<KernelThread> Threads)
{
    private static KernelOp Op(string text, Code code, int start = 0, int end = 0, int shift = 0, LockName lk = LockName.None) =>
        new(text, code, Mm.Pages(start, end), shift, lk);

    private static KernelThread ForkThread(bool irAtFlush)
    {
        var ops = new List<KernelOp>
        {
            Op("mmap_write_lock", Code.Lock, lk: LockName.MmapWrite),
            Op("invalidate_range_start 0 2", Code.InvalidateRangeStart, 0, 2),
            Op("ptl_lock", Code.Lock, lk: LockName.Ptl),
            Op("pte_wrprotect 0 2", Code.PteWrprotect, 0, 2),
            Op("ptl_unlock", Code.PtlUnlock, lk: LockName.Ptl),
            Op("invalidate_range_only_end 0 2", Code.InvalidateRangeOnlyEnd, 0, 2),
            Op("flush_tlb_mm", Code.FlushTlbMm),
        };
        if (irAtFlush) ops.Add(Op("invalidate_range 0 ~0", Code.InvalidateRange, 0, 2)); // (0, ~0): exact drops every page
        ops.Add(Op("mmap_write_unlock", Code.Unlock, lk: LockName.MmapWrite));
        return new KernelThread("fork", [.. ops]);
    }

    private static KernelThread[] MremapThreads() =>
    [
        new("mremap",
        [
            Op("mmap_write_lock", Code.Lock, lk: LockName.MmapWrite),
            Op("invalidate_range_start 0 2", Code.InvalidateRangeStart, 0, 2),
            Op("ptl_lock", Code.Lock, lk: LockName.Ptl),
            Op("flush_tlb_batched_pending", Code.FlushTlbBatchedPending),
            Op("pte_move 0 2 2", Code.PteMove, 0, 2, shift: 2),
            Op("flush_tlb_range 0 2", Code.FlushTlbRange, 0, 2),
            Op("ptl_unlock", Code.PtlUnlock, lk: LockName.Ptl),
            Op("invalidate_range_end 0 2", Code.InvalidateRangeEnd, 0, 2),
            Op("mmap_write_unlock", Code.Unlock, lk: LockName.MmapWrite),
        ]),
        new("truncate",
        [
            Op("lock i_mmap", Code.Lock, lk: LockName.IMmap),
            Op("tlb_gather_mmu", Code.TlbGatherMmu),
            Op("invalidate_range_start 2 4", Code.InvalidateRangeStart, 2, 4),
            Op("ptl_lock", Code.Lock, lk: LockName.Ptl),
            Op("flush_tlb_batched_pending", Code.FlushTlbBatchedPending),
            Op("zap_pte_range 2 4", Code.ZapPteRange, 2, 4),
            Op("ptl_unlock", Code.PtlUnlock, lk: LockName.Ptl),
            Op("invalidate_range_end 2 4", Code.InvalidateRangeEnd, 2, 4),
            Op("tlb_finish_mmu", Code.TlbFinishMmu),
            Op("unlock i_mmap", Code.Unlock, lk: LockName.IMmap),
        ]),
    ];

    /// <summary>catalog/fork-6.0-only-end-no-ir.order and its fixed twin fork-6.0-only-end-ir-at-flush.order;
    /// catalog/mremap-6.0.order and its fixed twin mremap-6.6.order (bound 4, the checker's default).</summary>
    public static Scenario Named(string name, int bound = 4) => name switch
    {
        "fork-6.0-only-end-no-ir" => new(name, "violation stale-secondary-after-flush", 2, false, 0b11, bound, [ForkThread(false)]),
        "fork-6.0-only-end-ir-at-flush" => new(name, "pass", 2, false, 0b11, bound, [ForkThread(true)]),
        "mremap-6.0" => new(name, "violation stale-secondary-after-flush", 4, false, 0b0011, bound, MremapThreads()),
        "mremap-6.6" => new(name, "pass", 4, true, 0b0011, bound, MremapThreads()),
        _ => throw new ArgumentException($"unknown scenario '{name}'"),
    };

    public static readonly string[] All = ["fork-6.0-only-end-no-ir", "fork-6.0-only-end-ir-at-flush", "mremap-6.0", "mremap-6.6"];

    /// <summary>The longest complete run: every kernel op plus the whole environment bound.</summary>
    public int MaxRunLength
    {
        get
        {
            int n = Bound;
            foreach (var t in Threads) n += t.Ops.Length;
            return n;
        }
    }
}
