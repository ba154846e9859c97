using Checker.Invariants;
using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Model;

/// <summary>
/// §8 dirty data (DESIGN §8): PTE and TLB dirty bits, PROT_NONE, PG_dirty, the page cache, writeback, MADV_FREE,
/// pins. Every method here runs only when the ordering uses §8 (<see cref="dirty"/>); the callers in the other
/// partial files test that flag first, so a file without §8 takes today's path.
/// </summary>
internal partial class Machine
{
    // ---- reading the §8 state ----

    /// <summary>Only tracked frames (page cache or lazy-free) have a real D; elsewhere D is the constant 1 (§8.1).</summary>
    private bool Tracked(int f) => f >= 0 && (i[s.FrameCache + f] != 0 || i[s.FrameLazy + f] != 0);

    /// <summary>The PTE's D as hardware and the kernel see it.</summary>
    private bool PteDirtyBit(int p) => (w[s.PteDirty] >> p & 1) != 0 || !Tracked(i[s.PteFrame + p]);

    private bool Protnone(int p) => dirty && (w[s.PteProtnone] >> p & 1) != 0;

    /// <summary>§8.2 rule 1: a successful write walk sets the PTE's D (x86: a locked update; arm64 DBM).</summary>
    private void SetPteDirtyByWalk(int p)
    {
        ulong bit = 1UL << p;
        recorder?.Dirty(DirtyEvent.SetDirty, bit, i[s.PteFrame + p]);
        w[s.PteDirty] |= bit;
    }

    /// <summary>An entry's cached D (rule 3): an entry to an untracked frame reads 1.</summary>
    private bool EntryDirty(int cacheDirtyWord, int p, int frame) => (w[cacheDirtyWord] >> p & 1) != 0 || !Tracked(frame);

    private void CacheDirtyBit(int cacheDirtyWord, int p)
    {
        ulong bit = 1UL << p;
        if (PteDirtyBit(p)) w[cacheDirtyWord] |= bit;
        else w[cacheDirtyWord] &= ~bit;
    }

    // ---- PTE changes (§8.3 "Changed") ----

    /// <summary>Clearing a present PTE (a clear, zap or repoint): PG_dirty |= D (set_page_dirty(pte_dirty(pteval))); the
    /// thread remembers D and W for pte_restore and lazyfree_discard; the rmap goes now unless delayed.</summary>
    private void DirtyOnClear(int t, int p, int f)
    {
        ulong bit = 1UL << p;
        bool tracked = Tracked(f);
        bool d = PteDirtyBit(p);
        if (tracked && d) i[s.FramePgDirty + f] = 1;
        // remembered for pte_restore and lazyfree_discard; only a tracked frame's D and W can matter there
        if (tracked && d) w[s.ClearedDirty + t] |= bit; else w[s.ClearedDirty + t] &= ~bit;
        if (tracked && (w[s.PteWritable] & bit) != 0) w[s.ClearedWritable + t] |= bit; else w[s.ClearedWritable + t] &= ~bit;
        w[s.PteDirty] &= ~bit;
        w[s.PteProtnone] &= ~bit;
    }

    /// <summary>zap_pte_range's §8.5 rules for one cleared PTE: a dirty page-cache PTE sets force_flush (3.15,
    /// 1cf35d47712d) and, from 6.2 (5df397dec7c4), delays its rmap until tlb_flush_rmaps.</summary>
    private void DirtyOnZap(int t, int p, int f, bool wasDirty)
    {
        if (!wasDirty || f < 0 || i[s.FrameCache + f] == 0 || !rules.Has(ReleaseRule.ZapForceFlushDirty)) return;
        i[s.ForceFlushFlag + t] = 1;
        if (!rules.Has(ReleaseRule.DelayedRmap)) return;
        i[s.DelayedFrame + t * pages + p] = f;
        w[s.Delayed + t] |= 1UL << p;
    }

    /// <summary>The pages of <paramref name="mask"/> whose PTE is PROT_NONE while tlb_flush_pending is 0: not
    /// pte_accessible(), so ptep_clear_flush does not flush them.</summary>
    private ulong InaccessibleProtnone(ulong mask) =>
        i[s.TlbFlushPending] > 0 ? 0 : mask & w[s.PtePresent] & w[s.PteProtnone];

    /// <summary>ptep_clear_flush's flush_tlb_page for each page that was accessible.</summary>
    private void FlushAccessible(int t, ulong mask)
    {
        for (ulong m = mask; m != 0; m &= m - 1)
        {
            ulong start = (ulong)Lowest(m) << Bound.PageShift;
            FlushTlb(t, m & ~(m - 1), start, start + Bound.PageSize, full: false);
        }
    }

    // ---- the §8.3 ops ----

    private void DirtyExecute(int t, in Op op)
    {
        switch (op.Code)
        {
            case OpCode.ForceFlush: i[s.ForceFlushFlag + t] = 1; break;
            case OpCode.PteMkclean: w[s.PteDirty] &= ~(op.Pages & w[s.PtePresent]); break;
            case OpCode.TlbFlushMmuTlbonly: TlbFlushMmuTlbonly(t); break;
            case OpCode.TlbFlushPteRange:
                for (ulong m = op.Pages; m != 0; m &= m - 1) WidenGather(t, Lowest(m));
                if (op.Pages != 0) i[s.GatherCleared + t] = 1;
                break;
            case OpCode.TlbFlushRmaps: TlbFlushRmaps(t); break;
            case OpCode.Writeback: Writeback(t, op.Arg); break;
            case OpCode.MadviseFree: MadviseFree(t, op); break;
            case OpCode.ChangeProtNuma:
            {
                ulong made = op.Pages & w[s.PtePresent] & ~w[s.PteProtnone];
                w[s.PteProtnone] |= made;
                recorder?.Dirty(DirtyEvent.Protnone, made, -1);
                Changed(t, made); // a downgrade (§8.4 rule 3); no access-after-return coverage (rule 4)
                break;
            }
            case OpCode.SetTlbFlushPending: i[s.TlbFlushPending] = 1; break;
            case OpCode.ClearTlbFlushPending: i[s.TlbFlushPending] = 0; break;
            case OpCode.LazyfreeDiscard: LazyfreeDiscard(t, op.Arg); break;
            case OpCode.GetUserPages: GetUserPages(t, op.Arg); break;
            case OpCode.DmaWrite:
            {
                int f = op.Arg >= 0 ? i[s.PinFrame + t * pages + op.Arg] : -1;
                if (f < 0) break;
                s.C[s.FrameContent + f]++;
                recorder?.Dirty(DirtyEvent.DmaWrite, 1UL << op.Arg, f);
                if (UseAfterFree.IsViolatedBy(i[s.FrameOwner + f] == ModelState.OwnerMm))
                    Flag(InvariantId.UseAfterFree, ViolationSite.Of(actor, op.Arg, f));
                DirtyStore(op.Arg, f);
                break;
            }
            case OpCode.SetPageDirty:
            {
                int f = op.Arg >= 0 ? i[s.PinFrame + t * pages + op.Arg] : -1;
                if (Tracked(f)) i[s.FramePgDirty + f] = 1;
                break;
            }
            case OpCode.UnpinUserPage:
            {
                int slot = s.PinFrame + t * pages + op.Arg;
                int f = op.Arg >= 0 ? i[slot] : -1;
                if (f < 0) break;
                i[slot] = -1;
                w[s.Pinned + t] &= ~(1UL << op.Arg);
                PutFrame(f);
                break;
            }
        }
    }

    /// <summary>tlb_flush_mmu_tlbonly: the gather's flush now (as tlb_flush_mmu's, §3.4 and §3.6 rule 5), no frees;
    /// force_flush is left as it is (the caller clears it).</summary>
    private void TlbFlushMmuTlbonly(int t) => GatherFlush(t);

    /// <summary>tlb_flush_rmaps: the rmaps this thread's zap delayed are removed now (6.2+).</summary>
    private void TlbFlushRmaps(int t)
    {
        for (ulong m = w[s.Delayed + t]; m != 0; m &= m - 1) i[s.DelayedFrame + t * pages + Lowest(m)] = -1;
        w[s.Delayed + t] = 0;
    }

    /// <summary>The frame of cache index P (frame P, if it is in the page cache), or -1.</summary>
    private int CacheFrame(int p) => p >= 0 && p < s.MaxFrames && i[s.FrameCache + p] != 0 ? p : -1;

    /// <summary>mapcount(F) (§8.1): present PTEs mapping F (PROT_NONE too), plus delayed rmaps of F.</summary>
    private int Mapcount(int f)
    {
        int n = 0;
        for (ulong m = w[s.PtePresent]; m != 0; m &= m - 1)
            if (i[s.PteFrame + Lowest(m)] == f) n++;
        for (int t = 0; t < threads.Length; t++)
            for (ulong m = w[s.Delayed + t]; m != 0; m &= m - 1)
                if (i[s.DelayedFrame + t * pages + Lowest(m)] == f) n++;
        return n;
    }

    /// <summary>mapcount(F), for tests.</summary>
    internal int MapcountForTests(int f) => Mapcount(f);

    /// <summary>writeback is enabled when folio_mkclean could take the PTL of every mm mapping the frame: free or
    /// held by this thread (one mm with the tree off). A frame with no mapping and no delayed rmap needs no lock.</summary>
    private bool WritebackEnabled(int t, int p)
    {
        int f = CacheFrame(p);
        if (f < 0) return true;
        int holder = i[s.LockHolder + 0];
        if (holder < 0 || holder == t) return true;
        return Mapcount(f) == 0;
    }

    /// <summary>writeback P: folio_clear_dirty_for_io() then the I/O, one step. folio_mkclean → page_vma_mkclean_one
    /// cleans and write-protects every present PTE of the frame that is dirty or writable (ptep_clear_flush, so a
    /// flush_tlb_page of that page), the shadows' sPTEs dropped by its start, the shared-table secondaries
    /// invalidated over the page — by the arch flush from 6.6, before that by its invalidate_range_end — and, when it
    /// cleaned any, folio_mark_dirty(). Then if PG_dirty: PG_dirty := 0, disk := content.</summary>
    private void Writeback(int t, int p)
    {
        int f = CacheFrame(p);
        if (f < 0) return;
        bool cleaned = false;
        for (ulong m = w[s.PtePresent]; m != 0; m &= m - 1)
        {
            int q = Lowest(m);
            if (i[s.PteFrame + q] != f) continue;
            ulong bit = 1UL << q;
            bool d = PteDirtyBit(q);
            if (!d && (w[s.PteWritable] & bit) == 0) continue;
            cleaned = true;
            w[s.PteDirty] &= ~bit;
            w[s.PteWritable] &= ~bit;
            CpuFlush(t, bit, full: false);
            ulong start = (ulong)q << Bound.PageShift;
            InvalidateSecondaryTlbs(start, start + Bound.PageSize);
            if (i[s.Attached] != 0)
                for (int sh = 0; sh < s.Shadows; sh++)
                {
                    recorder?.Dropped(CacheKind.Spte, sh, w[s.SpteValid + sh] & bit);
                    w[s.SpteValid + sh] &= ~bit;
                    w[s.SpteWritable + sh] &= ~bit;
                }
        }
        if (cleaned) i[s.FramePgDirty + f] = 1;
        bool io = i[s.FramePgDirty + f] != 0;
        if (io)
        {
            i[s.FramePgDirty + f] = 0;
            i[s.FrameUnwritten + f] = 1;
            s.C[s.FrameDisk + f] = s.C[s.FrameContent + f];
        }
        recorder?.Dirty(io ? DirtyEvent.Writeback : DirtyEvent.WritebackClean, 1UL << p, f);
    }

    /// <summary>madvise_free R (madvise_free_pte_range): each present anonymous PTE's frame becomes lazy-free with
    /// PG_dirty := 0 and no baseline until this thread ends (§8.4 rule 5); a PTE with D (young or dirty: the model has
    /// no A bit) is cleaned, stays writable, and is recorded in the gather.</summary>
    private void MadviseFree(int t, in Op op)
    {
        ulong cleanedPtes = 0;
        for (ulong m = op.Pages & w[s.PtePresent]; m != 0; m &= m - 1)
        {
            int p = Lowest(m);
            int f = i[s.PteFrame + p];
            if (f < 0 || i[s.FrameCache + f] != 0) continue;
            bool d = PteDirtyBit(p);
            i[s.FramePgDirty + f] = 0;
            i[s.FrameLazy + f] = 1;
            i[s.FrameBaselineSet + f] = 0;
            i[s.FrameLastCleaner + f] = t;
            i[s.FrameDiscarded + f] = 0;
            ulong bit = 1UL << p;
            w[s.PteDirty] &= ~bit;
            if (d)
            {
                cleanedPtes |= bit;
                WidenGather(t, p);
            }
        }
        if (cleanedPtes != 0) i[s.GatherCleared + t] = 1;
        recorder?.Dirty(DirtyEvent.Clean, cleanedPtes, -1);
    }

    /// <summary>The end of a thread: frames it last cleaned with madvise_free get their baseline (the content MADV_FREE
    /// may drop from now on, §8.4 rule 5).</summary>
    private void DirtyThreadReturned(int t)
    {
        for (int f = 0; f < i[s.FrameCount]; f++)
        {
            if (i[s.FrameLastCleaner + f] != t) continue;
            i[s.FrameLastCleaner + f] = -1;
            if (i[s.FrameLazy + f] == 0) continue;
            i[s.FrameBaselineSet + f] = 1;
            i[s.FrameAtBaseline + f] = 1;
            s.C[s.FrameBaseline + f] = s.C[s.FrameContent + f];
        }
    }

    /// <summary>lazyfree_discard P: try_to_unmap_one's MADV_FREE branch for the frame this thread unmapped at P. A clean
    /// lazy-free frame is discarded — from 5.18 (6c8e2a256915) only when refcount = 2 + mapcount (the mapping's and the
    /// caller's references): a GUP pin keeps it. Otherwise the cleared PTE is put back and the frame is no longer
    /// lazy-free.</summary>
    private void LazyfreeDiscard(int t, int p)
    {
        if (p < 0) return;
        int slot = s.LastUnmapped + t * pages + p;
        int f = i[slot];
        if (f < 0 || i[s.FrameLazy + f] == 0) return;
        bool discard = i[s.FramePgDirty + f] == 0
            && (!rules.Has(ReleaseRule.LazyfreeRefcountCheck) || i[s.FrameRef + f] == 2 + Mapcount(f));
        if (discard)
        {
            if (LostDirty.DiscardLosesData(i[s.FrameBaselineSet + f] != 0, i[s.FrameAtBaseline + f] != 0))
                Flag(InvariantId.LostDirty, ViolationSite.Of(actor, p, f));
            i[s.FrameDiscarded + f] = 1;
            recorder?.Dirty(DirtyEvent.Discard, 1UL << p, f);
            PutFrame(f);
            return;
        }
        ulong bit = 1UL << p;
        i[s.FrameLazy + f] = 0;
        if ((w[s.PtePresent] & bit) != 0) return; // something else filled the PTE meanwhile
        i[s.PteFrame + p] = f;
        i[slot] = -1;
        w[s.PtePresent] |= bit;
        if ((w[s.ClearedWritable + t] & bit) != 0) w[s.PteWritable] |= bit; else w[s.PteWritable] &= ~bit;
        if ((w[s.ClearedDirty + t] & bit) != 0) w[s.PteDirty] |= bit; else w[s.PteDirty] &= ~bit;
        recorder?.Dirty(DirtyEvent.Redirty, bit, f);
    }

    /// <summary>get_user_pages_fast(FOLL_WRITE) of P: a present, not PROT_NONE, writable PTE's frame gets a reference
    /// and this thread's pin; PG_dirty is left alone (no FOLL_TOUCH).</summary>
    private void GetUserPages(int t, int p)
    {
        if (p < 0) return;
        ulong bit = 1UL << p;
        if ((w[s.PtePresent] & bit) == 0 || (w[s.PteProtnone] & bit) != 0 || (w[s.PteWritable] & bit) == 0) return;
        int slot = s.PinFrame + t * pages + p;
        if (i[slot] >= 0) return;
        int f = i[s.PteFrame + p];
        i[s.FrameRef + f]++;
        i[slot] = f;
        w[s.Pinned + t] |= bit;
    }

    // ---- stores ----

    /// <summary>A store reached frame <paramref name="f"/>: it is no longer what disk or the baseline hold; a store to a
    /// discarded frame after MADV_FREE returned is lost (clause b).</summary>
    private void DirtyStore(int p, int f)
    {
        // only tracked frames keep these bits, so stores to anonymous memory split no state
        if (i[s.FrameCache + f] != 0) i[s.FrameUnwritten + f] = 0;
        if (i[s.FrameLazy + f] != 0) i[s.FrameAtBaseline + f] = 0;
        if (LostDirty.WriteToDiscarded(i[s.FrameDiscarded + f] != 0, i[s.FrameBaselineSet + f] != 0))
            Flag(InvariantId.LostDirty, ViolationSite.Of(actor, p, f));
    }

    // ---- after every step ----

    /// <summary>Clause (a), checked after every step; then entry D bits of dropped entries are cleared so that equal
    /// states hash equally.</summary>
    private void DirtyAfterStep()
    {
        // canonical form: D of a none PTE is 0, D of a PTE to an untracked frame reads (and is stored as) 1, a dropped
        // entry caches nothing; so a file whose frames are all untracked has exactly today's states
        ulong present = w[s.PtePresent];
        ulong d1 = w[s.PteDirty] & present;
        for (ulong m = present & ~d1; m != 0; m &= m - 1)
            if (!Tracked(i[s.PteFrame + Lowest(m)])) d1 |= m & ~(m - 1);
        w[s.PteDirty] = d1;
        w[s.PteProtnone] &= present;
        for (int c = 0; c < s.Cpus; c++) w[s.TlbDirty + c] &= w[s.TlbValid + c];
        for (int d = 0; d < s.Devices; d++) w[s.IotlbDirty + d] &= w[s.IotlbValid + d];
        int frames = i[s.FrameCount];
        for (int f = 0; f < frames; f++)
        {
            if (i[s.FrameCache + f] == 0 || i[s.FrameUnwritten + f] != 0 || i[s.FramePgDirty + f] != 0) continue;
            bool dirtyPte = false;
            int page = -1;
            for (ulong m = w[s.PtePresent]; m != 0; m &= m - 1)
            {
                int q = Lowest(m);
                if (i[s.PteFrame + q] != f) continue;
                page = q;
                if ((w[s.PteDirty] >> q & 1) != 0) dirtyPte = true;
            }
            if (LostDirty.DirtLost(false, false, dirtyPte, IsPinned(f)))
                Flag(InvariantId.LostDirty, ViolationSite.Of(actor, page >= 0 ? page : f, f));
        }
    }

    private bool IsPinned(int f)
    {
        for (int t = 0; t < threads.Length; t++)
            for (ulong m = w[s.Pinned + t]; m != 0; m &= m - 1)
                if (i[s.PinFrame + t * pages + Lowest(m)] == f) return true;
        return false;
    }

    // ---- conditions ----

    private bool DirtyCondition(int t, ConditionKind kind, int p)
    {
        bool present = p >= 0 && (w[s.PtePresent] >> p & 1) != 0;
        return kind switch
        {
            ConditionKind.PteDirty => present && PteDirtyBit(p),
            ConditionKind.PteProtnone => present && (w[s.PteProtnone] >> p & 1) != 0,
            ConditionKind.PteAccessible => present && ((w[s.PteProtnone] >> p & 1) == 0 || i[s.TlbFlushPending] > 0),
            ConditionKind.ForceFlush => i[s.ForceFlushFlag + t] != 0,
            _ => (w[s.Changed + t] & ~w[s.Flushed + t]) != 0,
        };
    }

    // ---- reports ----

    /// <summary>The one-line description of a <c>lost-dirty</c> violation (reporting path only).</summary>
    private string DescribeLostDirty(string who, ViolationSite site)
    {
        int f = site.Frame;
        if (f < 0 || !dirty) return $"{who}: lost-dirty";
        if (i[s.FrameDiscarded + f] != 0)
            return $"{who}: lazy-free frame f{f} (page {site.Page}) is discarded although written after MADV_FREE returned, or written after its discard: the data is lost";
        return $"page-cache frame f{f} holds data that is not on disk (content v{s.C[s.FrameContent + f]}, disk v{s.C[s.FrameDisk + f]}) while PG_dirty is clear and no PTE mapping it is dirty: writeback will never write it ({who} acted last)";
    }
}
