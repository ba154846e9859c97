using Checker.Vocabulary;

namespace Checker.Model;

/// <summary>
/// Issue 12 (THP split, docs/model.md "Lazy-free huge pages"): the dirty bit of a huge PMD whose frames are tracked
/// (<c>lazyfree</c> over a <c>huge</c> region; madvise_free_huge_pmd has cleaned it). The entry's single D is the
/// region's PTE D bits, all equal. A write walk through the huge PMD sets it (the whole region); a fill from it
/// caches it for the whole region; a PMD op that takes the entry away moves it to PG_dirty of every frame of the
/// compound page, as its callers do with the old value (set_page_dirty(pmd_dirty(old))). split_huge_pmd moves D to
/// PG_dirty — from 4.16 the D pmdp_invalidate's exchange returned, before it the D __split_huge_pmd_locked read at
/// its start, one step before the invalidation — and from 6.2 (e833bc503405) into the new PTEs too (before, mk_pte
/// left them clean). Everything here runs
/// only when <see cref="ModelState.HasHugeDirty"/>: other orderings take the code they took before.
/// </summary>
internal partial class Machine
{
    /// <summary>True when region r is a huge entry of mm 0 whose frames are tracked (its D is real).</summary>
    private bool HugeDirtyTracked(int r) =>
        s.HasHugeDirty && i[s.PmdKind + r] == ModelState.PmdHuge && Tracked(i[s.PteFrame + r * T.Span]);

    /// <summary>After a walk filled the entries of region r's huge PMD: a write walk sets the PMD's D (x86: the locked
    /// update of the PDE; arm64 DBM), and every filled entry caches D (§8.2 rules 1 and 3 for the huge entry).</summary>
    private void HugeFillDirty(int cacheDirtyWord, int p, bool write)
    {
        int r = T.RegionOf(p);
        if (hugeFrom != i[s.Pud] || !HugeDirtyTracked(r)) return;
        ulong region = T.RegionMask[r];
        if (write && (w[s.PteDirty] & region) != region)
        {
            recorder?.Dirty(DirtyEvent.SetDirty, region, i[s.PteFrame + p]);
            w[s.PteDirty] |= region;
        }
        if ((w[s.PteDirty] & region) != 0) w[cacheDirtyWord] |= region;
        else w[cacheDirtyWord] &= ~region;
    }

    /// <summary>A present huge entry of region r is taken away (none or invalid): with <paramref name="transfer"/>,
    /// PG_dirty |= D on each of its frames; the entry's D is gone either way. Returns the D the entry had.</summary>
    private bool HugeDirtyOnClear(int r, bool transfer)
    {
        if (!HugeDirtyTracked(r)) return false;
        ulong region = T.RegionMask[r];
        bool d = (w[s.PteDirty] & region) != 0;
        if (d && transfer) SetCompoundDirty(r);
        w[s.PteDirty] &= ~region;
        return d;
    }

    /// <summary>SetPageDirty of the compound page mapped by region r: PG_dirty of each of its frames.</summary>
    private void SetCompoundDirty(int r)
    {
        for (int k = 0; k < T.Span; k++)
        {
            int f = i[s.PteFrame + r * T.Span + k];
            if (Tracked(f)) i[s.FramePgDirty + f] = 1;
        }
    }

    /// <summary>split_huge_pmd as one step or, before 4.16 on a tracked huge page, two: the first reads the PMD's D
    /// (dirty = pmd_dirty(*pmd)) and returns false (the op is unfinished); the second invalidates, flushes, links the
    /// PTE table and sets PG_dirty from what the first read. The read is kept with the op's index, so a read left by
    /// a conditional split whose condition failed at its second step is not taken for another op's.</summary>
    private bool SplitHugePmdStep(int t, int opIndex, int r, int slot)
    {
        if (!s.HasHugeDirty)
        {
            SplitHugePmd(t, r, slot, transfer: true);
            return true;
        }
        bool mkdirty = rules.Has(ReleaseRule.SplitPtesDirty) && HugeDirtyTracked(r) && (w[s.PteDirty] & T.RegionMask[r]) != 0;
        int read = i[s.SplitRead + t];
        if (read >> 1 != opIndex + 1) read = 0;
        if (read == 0 && !rules.Has(ReleaseRule.SplitDirtyFromInvalidate) && HugeDirtyTracked(r) && slot >= 0)
        {
            i[s.SplitRead + t] = (opIndex + 1) << 1 | ((w[s.PteDirty] & T.RegionMask[r]) != 0 ? 1 : 0);
            return false;
        }
        i[s.SplitRead + t] = 0;
        if (read == 0)
        {
            SplitHugePmd(t, r, slot, transfer: true);
            if (mkdirty && slot >= 0) w[s.PteDirty] |= T.RegionMask[r]; // 6.2 (e833bc503405): if (dirty) entry = pte_mkdirty(entry)
            return true;
        }
        bool split = HugeDirtyTracked(r);
        SplitHugePmd(t, r, slot, transfer: false);
        if (split && (read & 1) != 0) SetCompoundDirty(r);
        return true;
    }
}
