
namespace Checker.Invariants;

/// <summary>
/// <c>stale-secondary-after-flush</c> (protocol): at a commit point of kernel thread T (ptl_unlock, a frame
/// freed, copy_page, pte_install/pte_move, invalidate_range_end/only_end, thread end), no shared-table
/// secondary may hold a stale entry for a page whose CPU flush T has completed since T last changed it.
/// Encodes the seed's rule — "flush the shadow TLB at exactly the same moments we flush the CPU TLB because
/// the two TLBs are processing exactly the same data structure" (Gunthorpe, linux-mm, 2022-09-30) — which 6.6
/// made structural by calling arch_invalidate_secondary_tlbs() from the arch flush (1af5a8109904).
/// </summary>
internal static class StaleSecondaryAfterFlush
{
    /// <summary>True when a translation (frame, writable) is more permissive than the PTE: present while the
    /// PTE is none, a different frame, or writable while the PTE is read-only (DESIGN §3.5).</summary>
    public static bool IsStale(int entryFrame, bool entryWritable, bool ptePresent, int pteFrame, bool pteWritable) =>
        !ptePresent || pteFrame != entryFrame || (entryWritable && !pteWritable);
}
