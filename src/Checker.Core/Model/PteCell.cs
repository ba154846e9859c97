namespace Checker.Model;

/// <summary>One PTE as the model holds it (DESIGN §3.1): present or none, the frame it maps (-1 when none) and
/// whether it is writable.</summary>
public readonly record struct PteCell(bool Present, int Frame, bool Writable)
{
    /// <summary>§8: the dirty bit, shown only where it is real (a page-cache or lazy-free frame).</summary>
    public bool Dirty { get; init; }

    /// <summary>§8: a NUMA-hinting PROT_NONE PTE (present to the kernel, fails every hardware walk).</summary>
    public bool Protnone { get; init; }
}
