namespace Checker.Model;

/// <summary>
/// Issue 12 (THP split): a lazy-free huge page (<c>lazyfree</c> over a <c>huge</c> region) is a tracked frame, so its
/// huge PMD has a real D. That D is kept as the region's PTE D bits (all equal while the entry is huge). The one field
/// below exists only for such an ordering: an ordering without one keeps its arrays, and its hash, as before.
/// </summary>
internal sealed partial class ModelState
{
    /// <summary>+ thread: 0, or 2 × (op index + 1) + the D that the first step of a two-step split (before 4.16) read.</summary>
    public int SplitRead = -1;

    /// <summary>True when some huge region starts with tracked (lazy-free) frames.</summary>
    public bool HasHugeDirty => SplitRead >= 0;

    private void LayoutHugeDirty(CompiledOrdering program, ref int i)
    {
        if (program.Dirty is not { } dirty || program.Tree is not { } tree || (dirty.Lazyfree & tree.InitialHuge) == 0) return;
        SplitRead = i;
        i += Threads;
    }
}
