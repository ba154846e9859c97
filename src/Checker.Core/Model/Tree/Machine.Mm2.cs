using Checker.Vocabulary;

namespace Checker.Model;

/// <summary>
/// §7 <c>mm2 shared-pmd</c>: a second mm whose PUD points at mm 0's PMD table (hugetlb PMD sharing, mm/hugetlb.c
/// huge_pmd_share / huge_pmd_unshare). This checker models of mm 1 its PUD, its kernel threads (sharing,
/// unsharing, tlb_remove_table_sync_one, locks) and its GUP-fast walkers; it has no CPUs, devices or tables of its
/// own. A data frame belongs to mm 1 when mm 1 maps it: mapped at start, or installed while the table is shared
/// (both mms map the shared table's frames), or in the table when mm 1 shares it again; freed frames are never
/// handed back to an mm.
/// </summary>
internal partial class Machine
{
    /// <summary>The PUD entry of mm m: its PMD table frame, or -1.</summary>
    private int PudOf(int mm) => mm == 0 ? i[s.Pud] : i[s.Pud1];

    /// <summary>Whether mm m owns data frame f (f is allocated to an mm).</summary>
    private bool MmOwns(int mm, int frame) => mm == 0 || (w[s.Mm1Own + (frame >> 6)] >> (frame & 63) & 1) != 0;

    /// <summary>A fresh data frame installed in mm 0's tables: mm 1 maps it too while it shares the PMD table.</summary>
    private void MarkSharedFrame(int frame)
    {
        if (tree is not { HasMm2: true } || i[s.Pud1] < 0 || i[s.Pud1] != i[s.Pud]) return;
        w[s.Mm1Own + (frame >> 6)] |= 1UL << (frame & 63);
    }

    private bool NoWalkerOfMmInWindow(int mm)
    {
        for (int g = 0; g < T.GupWalkers; g++)
            if (T.GupMm[g] == mm && i[s.GupPhase + g] != 0) return false;
        return true;
    }

    /// <summary>§7.6 rule 4: the IPIs that reach every CPU (not only the mm's), so wait for every walker.</summary>
    private bool WaitsForEveryWalker(in Op op) => op.Code switch
    {
        OpCode.TlbRemoveTableSyncOne or OpCode.FlushTlbKernelRange or OpCode.PmdFreePtePage => true,
        OpCode.PteFreeTlb => op.ReadOnly, // nobatch
        _ => false,
    };

    /// <summary>huge_pmd_share: the running thread's mm, its PUD none, points it at mm 0's PMD table (refcount +1).
    /// Only mm 1 shares (the validator refuses it on mm 0).</summary>
    private void HugePmdShare(int t)
    {
        if (T.ThreadMm[t] == 0 || i[s.Pud1] >= 0 || i[s.Pud] < 0) return;
        i[s.Pud1] = i[s.Pud];
        i[s.PmdRef]++;
        for (int p = 0; p < pages; p++) // mm 1 now maps what the table maps
            if (i[s.PteFrame + p] >= 0) MarkSharedFrame(i[s.PteFrame + p]);
    }

    /// <summary>huge_pmd_unshare: if the PMD table is shared (refcount &gt; 1), clear this mm's PUD and drop the
    /// reference; else nothing (mm/hugetlb.c: pt_share_count zero returns 0). No flush and no IPI by itself: before
    /// 1013af4f585f the caller did not wait for GUP-fast; with it (and tlb_flush_unshared_tables since) the wait
    /// is an explicit <c>tlb_remove_table_sync_one</c> line.</summary>
    private void HugePmdUnshare(int t)
    {
        if (T.ThreadMm[t] == 0 || i[s.Pud1] < 0 || i[s.PmdRef] <= 1) return;
        i[s.Pud1] = -1;
        i[s.PmdRef]--;
    }
}
