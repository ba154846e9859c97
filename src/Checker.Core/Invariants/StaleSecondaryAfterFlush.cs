using Checker.Model;

namespace Checker.Invariants;

/// <summary>
/// <c>stale-secondary-after-flush</c> (protocol): at a commit point of kernel thread T (ptl_unlock, a frame
/// freed, copy_page, pte_install/pte_move, invalidate_range_end/only_end, thread end), no shared-table
/// secondary may hold a stale entry for a page whose CPU flush T has completed since T last changed it.
/// Encodes the seed's rule — "flush the shadow TLB at exactly the same moments we flush the CPU TLB because
/// the two TLBs are processing exactly the same data structure" (Gunthorpe, linux-mm, 2022-09-30) — which 6.6
/// made structural by calling arch_invalidate_secondary_tlbs() from the arch flush (1af5a8109904).
/// </summary>
public static class StaleSecondaryAfterFlush
{
    /// <summary>True when a translation (frame, writable) is more permissive than the PTE: present while the
    /// PTE is none, a different frame, or writable while the PTE is read-only (DESIGN §3.5).</summary>
    public static bool IsStale(int entryFrame, bool entryWritable, bool ptePresent, int pteFrame, bool pteWritable) =>
        !ptePresent || pteFrame != entryFrame || (entryWritable && !pteWritable);

    /// <summary>Checks thread <paramref name="thread"/>'s flushed pages against every device's IOTLB.</summary>
    public static bool Check(ModelState s, int thread, out int device, out int page)
    {
        ulong flushed = s.W[s.Flushed + thread];
        if (flushed != 0 && s.I[s.Attached] != 0)
        {
            ulong present = s.W[s.PtePresent], writable = s.W[s.PteWritable];
            for (int d = 0; d < s.Devices; d++)
            {
                ulong candidates = s.W[s.IotlbValid + d] & flushed;
                while (candidates != 0)
                {
                    int p = System.Numerics.BitOperations.TrailingZeroCount(candidates);
                    candidates &= candidates - 1;
                    ulong bit = 1UL << p;
                    if (IsStale(s.I[s.IotlbFrame + d * s.Pages + p], (s.W[s.IotlbWritable + d] & bit) != 0,
                            (present & bit) != 0, s.I[s.PteFrame + p], (writable & bit) != 0))
                    {
                        device = d;
                        page = p;
                        return true;
                    }
                }
            }
        }
        device = -1;
        page = -1;
        return false;
    }
}
