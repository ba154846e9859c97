namespace Checker.Vocabulary;

/// <summary>The semantics profile (DESIGN §3.4). <c>6.0</c> stands for the whole 4.15–6.5 era.</summary>
public enum KernelVersion : byte
{
    /// <summary>v4.14: <c>tlb_finish_mmu(tlb, start, end)</c> forces a flush of the caller's range when nested.</summary>
    V4_14,

    /// <summary>v4.15–v6.5: <c>invalidate_range_only_end()</c> exists (0f10851ea475); nested gathers send (-1, -1) (7a30df49f63a).</summary>
    V6_0,

    /// <summary>v6.6+: the secondary TLB hook is <c>arch_invalidate_secondary_tlbs()</c>, called by the arch flush (1af5a8109904).</summary>
    V6_6,
}
