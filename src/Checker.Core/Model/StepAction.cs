namespace Checker.Model;

/// <summary>What an actor does at a step. Threads always <see cref="Step"/> (run their next op); so does a
/// generated shadow in the middle of a fault (the fault's next phase).</summary>
public enum StepAction : byte
{
    /// <summary>Run the next op (or a fault's next phase).</summary>
    Step,
    /// <summary>A read through a TLB.</summary>
    Read,
    /// <summary>A write through a TLB.</summary>
    Write,
    /// <summary>A speculative fill of a TLB entry.</summary>
    Prefetch,
    /// <summary>A secondary page fault.</summary>
    Fault,
    /// <summary>The allocator reuses a free frame.</summary>
    Reuse,
    /// <summary>§7: a GUP-fast walker starts (g1, IRQs off) on a page; its g2 and g3 are <see cref="Step"/>.</summary>
    Gup,
}
