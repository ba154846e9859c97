using Checker.Vocabulary;

namespace Checker.Model;

/// <summary>
/// §7 <c>mm2</c>: a second mm. Without <c>shared-pmd</c> it has its own PMD table, PTE tables and data frames, laid
/// out as mm 0's; with it, its PUD points at mm 0's PMD table (hugetlb PMD sharing, mm/hugetlb.c huge_pmd_share /
/// huge_pmd_unshare). Its kernel threads run every op on it, its CPUs (<c>mm2 cpus K</c>) and GUP-fast walkers walk
/// it (the view: ModelState.Mm2.cs, Machine.MmView.cs); devices and shadows stay attached to mm 0. Either mm may
/// unshare: when mm 0 does, mm 1 keeps the table (a copy of its entries as they were, content set 1, which mm 1's
/// threads change from then on) and mm 0's view of the span goes none. A data frame belongs to mm 1 when mm 1 maps it: mapped at start, or installed while the table is shared
/// (both mms map the shared table's frames), or in the table when mm 1 shares it again; freed frames are never
/// handed back to an mm.
/// </summary>
internal partial class Machine
{
    /// <summary>The PUD entry of mm m: its PMD table frame, or -1.</summary>
    private int PudOf(int mm) => mm == 0 ? i[s.Pud] : i[s.Pud1];

    /// <summary>Whether mm m owns data frame f (f is allocated to an mm): mm 0 every frame but mm 1's own, mm 1 the
    /// frames it maps or mapped (§7.1's ownership rule).</summary>
    private bool MmOwns(int mm, int frame)
    {
        if (!mm2) return true;
        ulong bit = 1UL << (frame & 63);
        return mm == 0 ? (w[s.Mm0Not + (frame >> 6)] & bit) == 0 : (w[s.Mm1Own + (frame >> 6)] & bit) != 0;
    }

    /// <summary>Whether mm 1's PUD points at mm 0's PMD table (hugetlb sharing).</summary>
    private bool PmdShared => i[s.Pud1] >= 0 && i[s.Pud1] == i[s.Pud];

    /// <summary>A fresh data frame thread t installs: its mm's; while the PMD table is shared both mms map it.</summary>
    private void NewFrameOwner(int t, int frame)
    {
        ulong bit = 1UL << (frame & 63);
        if (T.ThreadMm[t] == 0)
        {
            if (PmdShared) w[s.Mm1Own + (frame >> 6)] |= bit;
            return;
        }
        w[s.Mm1Own + (frame >> 6)] |= bit;
        if (!PmdShared) w[s.Mm0Not + (frame >> 6)] |= bit;
    }

    /// <summary>The refcount slot of PMD table frame <paramref name="pmd"/>: mm 0's table's, or mm 1's own.</summary>
    private int PmdRefOf(int pmd) => mm2 && pmd != T.TableBase ? s.PmdRef1 : s.PmdRef;

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
        if (!mm2 || T.ThreadMm[t] == 0 || i[s.Pud1] >= 0 || i[s.Pud] < 0) return;
        i[s.Pud1] = i[s.Pud];
        i[s.PmdRef]++;
        int frames = s.SetFrame(0);
        for (int p = 0; p < pages; p++) // mm 1 now maps what the table maps
        {
            int f = i[frames + p];
            if (f >= 0) w[s.Mm1Own + (f >> 6)] |= 1UL << (f & 63);
        }
    }

    /// <summary>huge_pmd_unshare by either mm: if the PMD table is shared (refcount &gt; 1), clear the running
    /// thread's PUD and drop the reference; else nothing (mm/hugetlb.c: pt_share_count zero returns 0). No flush and
    /// no IPI by itself: the caller flushes (before dff11abe280b / 017b1660df89 only the unmapped page's range, since
    /// then the range adjust_range_if_pmd_sharing_possible widens to the PUD; a4a118f2eead adds the gather's
    /// tlb_flush_pmd_range) and, since 1013af4f585f, waits for GUP-fast: explicit lines in the ordering.</summary>
    private void HugePmdUnshare(int t)
    {
        if (!mm2) return; // one mm: the table is not shared (pt_share_count 0)
        if (i[s.Pud1] < 0 || i[s.Pud1] != i[s.Pud] || i[s.PmdRef] <= 1) return;
        if (T.ThreadMm[t] != 0)
        {
            i[s.Pud1] = -1;
            i[s.PmdRef]--;
            return;
        }
        Mm0Unshare(t);
    }

    /// <summary>mm 0 unshares: mm 1 keeps the table as it is now (its copy: <see cref="ModelState.Mm1Kind"/> …),
    /// mm 0's PUD goes none, so every translation of mm 0 in the PUD span goes at once — a change (§7.6 rule 2) of
    /// every present page, covered by the thread. The frames stay: mm 1 maps them.</summary>
    private void Mm0Unshare(int t)
    {
        int pmd = i[s.Pud];
        w[s.Mm1Present] = w[s.PtePresent];
        w[s.Mm1Writable] = w[s.PteWritable];
        for (int p = 0; p < pages; p++) i[s.Mm1Frame + p] = i[s.PteFrame + p];
        ulong taken = w[s.PtePresent];
        for (int r = 0; r < T.Regions; r++)
        {
            int kind = i[s.PmdKind + r];
            i[s.Mm1Kind + r] = kind;
            i[s.Mm1PmdFrame + r] = i[s.PmdFrame + r];
            if (kind == ModelState.PmdTable) UnlinkTable(t, r, out _); // its PTEs stay in the table (read as unlinked)
            else if (kind != ModelState.PmdNone) UnmapPmdEntry(t, r);
        }
        i[s.Pud] = -1;
        i[s.PmdRef]--;
        i[s.Mm1Copied] = 1; // mm 1's view of the table is its copy from now on
        recorder?.TableUnlinked(pmd);
        Changed(t, taken);
        w[s.Cover + t] |= allPages;
    }

    /// <summary>A huge or invalid entry leaves mm 0's view with the PUD (its frames stay in mm 1's copy).</summary>
    private void UnmapPmdEntry(int t, int r)
    {
        ulong region = T.RegionMask[r];
        for (int k = 0; k < T.Span; k++)
        {
            int p = r * T.Span + k;
            if ((w[s.PtePresent] >> p & 1) != 0) i[s.LastUnmapped + t * pages + p] = i[s.PteFrame + p];
            i[s.PteFrame + p] = -1;
        }
        w[s.PtePresent] &= ~region;
        w[s.PteWritable] &= ~region;
        i[s.PmdKind + r] = ModelState.PmdNone;
        i[s.PmdFrame + r] = -1;
    }

    /// <summary>The PTE/PMD content set of PMD table frame <paramref name="pmd"/>: 0 for mm 0's table (1 once mm 0
    /// unshared it and mm 1 kept a copy), 1 for mm 1's own.</summary>
    private int SetOf(int pmd) => !mm2 || pmd < 0 ? 0 : pmd == T.TableBase ? i[s.Mm1Copied] : 1;

    /// <summary>Entry r of PMD table <paramref name="pmd"/> as it is now: kind and, for a table entry, the PTE
    /// table frame.</summary>
    private int PmdEntryKind(int pmd, int r, out int tableFrame)
    {
        if (!mm2)
        {
            tableFrame = i[s.PmdFrame + r];
            return i[s.PmdKind + r];
        }
        int set = SetOf(pmd);
        tableFrame = i[s.SetPmdFrame(set) + r];
        return i[s.SetKind(set) + r];
    }

    /// <summary>Page p's leaf in a huge entry of PMD table <paramref name="pmd"/>: present, frame, writable.</summary>
    private bool HugeLeaf(int pmd, int p, out int frame, out bool writable)
    {
        ulong bit = 1UL << p;
        if (!mm2)
        {
            frame = i[s.PteFrame + p];
            writable = (w[s.PteWritable] & bit) != 0;
            return (w[s.PtePresent] & bit) != 0;
        }
        int set = SetOf(pmd);
        frame = i[s.SetFrame(set) + p];
        writable = (w[s.SetWritable(set)] & bit) != 0;
        return (w[s.SetPresent(set)] & bit) != 0;
    }
}
