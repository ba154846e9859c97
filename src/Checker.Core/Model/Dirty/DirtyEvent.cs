namespace Checker.Model;

/// <summary>§8 dirty data: what a <see cref="StepEffect.Dirty"/> reports.</summary>
public enum DirtyEvent : byte
{
    /// <summary>A write walk set the PTE's dirty bit.</summary>
    SetDirty,
    /// <summary><c>writeback</c> found PG_dirty (or cleaned a PTE) and wrote the frame to disk.</summary>
    Writeback,
    /// <summary><c>writeback</c> found the frame clean: no I/O.</summary>
    WritebackClean,
    /// <summary><c>madvise_free</c> cleaned these PTEs (D := 0) and made their frames lazy-free.</summary>
    Clean,
    /// <summary><c>lazyfree_discard</c> discarded the frame.</summary>
    Discard,
    /// <summary><c>lazyfree_discard</c> found the frame dirty or referenced and put its PTE back.</summary>
    Redirty,
    /// <summary><c>change_prot_numa</c> made these PTEs PROT_NONE.</summary>
    Protnone,
    /// <summary><c>dma_write</c> wrote a pinned frame.</summary>
    DmaWrite,
}
