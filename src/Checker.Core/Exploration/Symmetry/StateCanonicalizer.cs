using System.Numerics;
using Checker.Model;

namespace Checker.Exploration.Symmetry;

/// <summary>
/// The visited-set hash of a state under symmetry reduction (issue 14): the state is mapped to a
/// representative of its orbit — CPUs, devices and shadows sorted within their classes, then page units
/// sorted within theirs by a record of everything stored about the unit's pages, then frames renumbered in
/// order of first reference — and that representative is hashed with <see cref="ModelState.Hash"/>. The
/// representative is always the image of the state under a permutation the ordering cannot tell apart
/// (never a guess), up to what no step and no invariant of the handled vocabulary reads (see
/// <see cref="Owner"/>: free and reused frames alike, the free queue's frames and the batch's order), so two
/// states with the same hash behave alike; equivalent states usually, not always,
/// reach the same representative (ties keep index order), which only costs some reduction. The search keeps
/// stepping the concrete state, so traces stay concrete. Nothing allocates per call.
/// </summary>
internal sealed partial class StateCanonicalizer
{
    private readonly SymmetryPlan plan;
    private readonly ModelState t;
    private readonly int pages, cpus, devices, shadows, threads, maxFrames;
    private readonly int[] cpuAt, devAt, shAt;          // target element -> source element
    private readonly int[] pageTo;                      // source page -> target page
    private readonly int[] frameTo, frameStamp;
    private int stamp;
    private readonly ulong[] keys;
    private readonly int[] idx;
    private readonly ulong reducedPages;

    public StateCanonicalizer(CompiledOrdering program, SymmetryPlan plan)
    {
        this.plan = plan;
        t = new ModelState(program);
        pages = t.Pages;
        cpus = t.Cpus;
        devices = t.Devices;
        shadows = t.Shadows;
        threads = t.Threads;
        maxFrames = t.MaxFrames;
        cpuAt = new int[Math.Max(1, cpus)];
        devAt = new int[Math.Max(1, devices)];
        shAt = new int[Math.Max(1, shadows)];
        pageTo = new int[Math.Max(1, pages)];
        frameTo = new int[Math.Max(1, maxFrames)];
        frameStamp = new int[Math.Max(1, maxFrames)];
        numberStamp = new int[Math.Max(1, maxFrames)];
        dirty = t.HasDirty;
        int n = Math.Max(Math.Max(pages, maxFrames), Math.Max(cpus, Math.Max(devices, shadows)));
        keys = new ulong[Math.Max(1, n)];
        idx = new int[Math.Max(1, n)];
        foreach (var c in plan.PageClasses)
            foreach (int p in c.UnitPages) reducedPages |= 1UL << p;
    }

    /// <summary>The representative's hash.</summary>
    public ulong Hash(ModelState s)
    {
        var w = s.W;
        var i = s.I;
        OrderElements(s);
        for (int p = 0; p < pages; p++) pageTo[p] = p;
        foreach (var c in plan.PageClasses) OrderUnits(s, c);

        // masks: page bits moved, per-element words taken from the element now at each position
        var tw = t.W;
        tw[t.PtePresent] = Permute(w[s.PtePresent]);
        tw[t.PteWritable] = Permute(w[s.PteWritable]);
        for (int c = 0; c < cpus; c++)
        {
            tw[t.TlbValid + c] = Permute(w[s.TlbValid + cpuAt[c]]);
            tw[t.TlbWritable + c] = Permute(w[s.TlbWritable + cpuAt[c]]);
        }
        for (int d = 0; d < devices; d++)
        {
            tw[t.IotlbValid + d] = Permute(w[s.IotlbValid + devAt[d]]);
            tw[t.IotlbWritable + d] = Permute(w[s.IotlbWritable + devAt[d]]);
        }
        for (int h = 0; h < shadows; h++)
        {
            tw[t.SpteValid + h] = Permute(w[s.SpteValid + shAt[h]]);
            tw[t.SpteWritable + h] = Permute(w[s.SpteWritable + shAt[h]]);
        }
        for (int k = 0; k < threads; k++)
        {
            tw[t.Changed + k] = Permute(w[s.Changed + k]);
            tw[t.Flushed + k] = Permute(w[s.Flushed + k]);
            tw[t.Cover + k] = Permute(w[s.Cover + k]);
            tw[t.Deferred + k] = Permute(w[s.Deferred + k]);
            // gather ranges are hulls of whole classes (classes are runs of pages every range treats alike)
            tw[t.GatherStart + k] = w[s.GatherStart + k];
            tw[t.GatherEnd + k] = w[s.GatherEnd + k];
        }
        tw[t.ReturnedCover] = Permute(w[s.ReturnedCover]);
        tw[t.ActiveCover] = Permute(w[s.ActiveCover]);
        if (dirty) PermuteDirtyWords(s); // §8

        // everything else: copy, then rewrite what names pages, elements or frames
        var ti = t.I;
        Array.Copy(i, ti, i.Length);
        stamp++;
        if (stamp == int.MaxValue) { Array.Clear(frameStamp); Array.Clear(numberStamp); stamp = 1; }
        int next = 0;
        if (dirty) ReserveCacheFrames(s); // §8: a page-cache frame keeps its page's number
        for (int p = 0; p < pages; p++) ti[t.PteFrame + pageTo[p]] = i[s.PteFrame + p];
        for (int c = 0; c < cpus; c++)
            for (int p = 0; p < pages; p++)
                ti[t.TlbFrame + c * pages + pageTo[p]] = Valid(w[s.TlbValid + cpuAt[c]], p) ? i[s.TlbFrame + cpuAt[c] * pages + p] : -1;
        for (int d = 0; d < devices; d++)
        {
            for (int p = 0; p < pages; p++)
                ti[t.IotlbFrame + d * pages + pageTo[p]] = Valid(w[s.IotlbValid + devAt[d]], p) ? i[s.IotlbFrame + devAt[d] * pages + p] : -1;
            int fp = i[s.FaultPage + devAt[d]];
            ti[t.FaultPage + d] = fp >= 0 && fp < pages ? pageTo[fp] : fp;
            ti[t.FaultCount + d] = i[s.FaultCount + devAt[d]];
        }
        for (int h = 0; h < shadows; h++)
        {
            for (int p = 0; p < pages; p++)
                ti[t.SpteFrame + h * pages + pageTo[p]] = Valid(w[s.SpteValid + shAt[h]], p) ? i[s.SpteFrame + shAt[h] * pages + p] : -1;
            CopyContext(s, h, shAt[h]);
        }
        for (int x = shadows; x < t.FaultContexts; x++) CopyContext(s, x, x);
        for (int k = 0; k < threads; k++)
            for (int p = 0; p < pages; p++)
                ti[t.LastUnmapped + k * pages + pageTo[p]] = i[s.LastUnmapped + k * pages + p];
        if (dirty) PermuteDirtySlots(s); // §8: delayed rmaps and pins, by page

        // frames: numbered in order of first reference in the representative
        RenumberRange(t.PteFrame, pages, ref next);
        RenumberRange(t.TlbFrame, cpus * pages, ref next);
        RenumberRange(t.IotlbFrame, devices * pages, ref next);
        RenumberRange(t.SpteFrame, shadows * pages, ref next);
        RenumberRange(t.LastUnmapped, threads * pages, ref next);
        RenumberRange(t.CtxSnapFrame, t.FaultContexts, ref next);
        if (dirty)
        {
            RenumberRange(t.DelayedFrame, threads * pages, ref next);
            RenumberRange(t.PinFrame, threads * pages, ref next);
        }
        for (int k = 0; k < threads; k++)
        {
            // the order tlb_flush_mmu frees the batch in decides only the free queue's order, which nothing reads
            int count = i[s.GatherBatchCount + k], at = t.GatherBatch + k * t.MaxBatch;
            for (int b = 0; b < t.MaxBatch; b++) ti[at + b] = b < count ? Frame(i[at + b], ref next) : 0;
            SortInts(ti, at, count);
        }
        // the free queue: only its length counts (a reuse takes the oldest frame from free to another owner, the
        // same owner to every step and invariant: Owner); FreeCount is copied with the rest
        for (int q = 0; q < maxFrames; q++) ti[t.FreeQueue + q] = 0;
        ti[t.FreeHead] = 0;
        // frames nothing refers to: by their record, so their numbering does not split equivalent states
        int frameCount = i[s.FrameCount], loose = 0;
        for (int f = 0; f < frameCount; f++)
        {
            if (frameStamp[f] == stamp) continue;
            keys[loose] = (ulong)(uint)Owner(i[s.FrameOwner + f]) << 40 | (ulong)(uint)i[s.FrameRef + f] << 8 | (uint)i[s.FrameCopied + f] & 0xFF;
            if (dirty) keys[loose] = Mix(keys[loose], DirtyFrameKey(s, f));
            idx[loose++] = f;
        }
        SortByKey(0, loose);
        for (int k = 0; k < loose; k++) { frameStamp[idx[k]] = stamp; frameTo[idx[k]] = Take(ref next); }
        for (int f = 0; f < frameCount; f++)
        {
            int to = frameTo[f];
            ti[t.FrameOwner + to] = Owner(i[s.FrameOwner + f]);
            ti[t.FrameRef + to] = i[s.FrameRef + f];
            ti[t.FrameCopied + to] = i[s.FrameCopied + f];
            if (dirty) MoveDirtyFrame(s, f, to); // §8
        }
        return t.Hash();
    }

    /// <summary>A cache entry's frame is read only while the entry is valid (Machine: every use is under the
    /// valid mask), so an invalid entry's leftover frame is written as -1 in the representative.</summary>
    private static bool Valid(ulong valid, int p) => (valid >> p & 1) != 0;

    private void CopyContext(ModelState s, int to, int from)
    {
        var i = s.I;
        var ti = t.I;
        ti[t.CtxPhase + to] = i[s.CtxPhase + from];
        int cp = i[s.CtxPage + from];
        ti[t.CtxPage + to] = cp >= 0 && cp < pages ? pageTo[cp] : cp;
        ti[t.CtxSeq + to] = i[s.CtxSeq + from];
        ti[t.CtxSnapFrame + to] = i[s.CtxSnapFrame + from];
        ti[t.CtxSnapWritable + to] = i[s.CtxSnapWritable + from];
    }

    private void RenumberRange(int at, int count, ref int next)
    {
        var ti = t.I;
        for (int k = 0; k < count; k++) ti[at + k] = Frame(ti[at + k], ref next);
    }

    private int Frame(int f, ref int next)
    {
        if (f < 0 || f >= maxFrames) return f;
        if (frameStamp[f] != stamp)
        {
            frameStamp[f] = stamp;
            frameTo[f] = Take(ref next);
        }
        return frameTo[f];
    }

    private ulong Permute(ulong mask)
    {
        ulong r = mask & ~reducedPages;
        for (ulong m = mask & reducedPages; m != 0; m &= m - 1)
            r |= 1UL << pageTo[BitOperations.TrailingZeroCount(m)];
        return r;
    }

    // ---- element order ----

    private void OrderElements(ModelState s)
    {
        for (int c = 0; c < cpus; c++) cpuAt[c] = c;
        for (int d = 0; d < devices; d++) devAt[d] = d;
        for (int h = 0; h < shadows; h++) shAt[h] = h;
        var w = s.W;
        var i = s.I;
        foreach (var cls in plan.CpuClasses)
        {
            for (int k = 0; k < cls.Length; k++)
            {
                int c = cls[k];
                keys[k] = MaskKey(w[s.TlbValid + c], w[s.TlbWritable + c], StaleCount(s, s.TlbFrame + c * pages, w[s.TlbValid + c]));
                if (dirty) keys[k] = Mix(keys[k], DirtyMaskKey(w[s.TlbDirty + c]));
                idx[k] = c;
            }
            Place(cls, cpuAt);
        }
        foreach (var cls in plan.DeviceClasses)
        {
            for (int k = 0; k < cls.Length; k++)
            {
                int d = cls[k];
                keys[k] = Mix(MaskKey(w[s.IotlbValid + d], w[s.IotlbWritable + d], StaleCount(s, s.IotlbFrame + d * pages, w[s.IotlbValid + d])),
                    (ulong)(uint)i[s.FaultCount + d]);
                if (dirty) keys[k] = Mix(keys[k], DirtyMaskKey(w[s.IotlbDirty + d]));
                idx[k] = d;
            }
            Place(cls, devAt);
        }
        foreach (var cls in plan.ShadowClasses)
        {
            for (int k = 0; k < cls.Length; k++)
            {
                int h = cls[k];
                keys[k] = Mix(MaskKey(w[s.SpteValid + h], w[s.SpteWritable + h], StaleCount(s, s.SpteFrame + h * pages, w[s.SpteValid + h])),
                    (ulong)(uint)i[s.CtxPhase + h] << 32 | (uint)i[s.CtxSeq + h]);
                idx[k] = h;
            }
            Place(cls, shAt);
        }
    }

    /// <summary>Sorts the class's first <c>cls.Length</c> (key, index) pairs and fills target → source.</summary>
    private void Place(int[] cls, int[] at)
    {
        SortByKey(0, cls.Length);
        for (int k = 0; k < cls.Length; k++) at[cls[k]] = idx[k];
    }

    /// <summary>A key of an element's cached pages that does not depend on page order within a class: the exact
    /// bits of unreduced pages and, per class, how many valid and writable entries it holds.</summary>
    private ulong MaskKey(ulong valid, ulong writable, int stale)
    {
        ulong key = Mix(valid & ~reducedPages, writable & ~reducedPages);
        foreach (var c in plan.PageClasses)
        {
            int v = 0, wr = 0;
            foreach (int p in c.UnitPages)
            {
                v += (int)(valid >> p & 1);
                wr += (int)(writable >> p & 1);
            }
            key = Mix(key, (ulong)v << 32 | (uint)wr);
        }
        return Mix(key, (ulong)stale);
    }

    private int StaleCount(ModelState s, int frames, ulong valid)
    {
        int n = 0;
        for (ulong m = valid; m != 0; m &= m - 1)
        {
            int p = BitOperations.TrailingZeroCount(m);
            if (s.I[frames + p] != s.I[s.PteFrame + p]) n++;
        }
        return n;
    }

    // ---- page order ----

    private void OrderUnits(ModelState s, SymmetryPlan.PageClass c)
    {
        for (int u = 0; u < c.Units; u++)
        {
            ulong key = 0;
            for (int k = 0; k < c.Width; k++) key = Mix(key, PageRecord(s, c.UnitPages[u * c.Width + k]));
            keys[u] = key;
            idx[u] = u;
        }
        SortByKey(0, c.Units);
        // the unit sorted into position j takes the pages of unit j
        for (int j = 0; j < c.Units; j++)
            for (int k = 0; k < c.Width; k++)
                pageTo[c.UnitPages[idx[j] * c.Width + k]] = c.UnitPages[j * c.Width + k];
    }

    /// <summary>What is stored about page <paramref name="p"/>, in element (target) order, with frames described
    /// by how they relate to the page's PTE rather than by number.</summary>
    private ulong PageRecord(ModelState s, int p)
    {
        var w = s.W;
        var i = s.I;
        int pte = i[s.PteFrame + p];
        ulong bits = (w[s.PtePresent] >> p & 1) | (w[s.PteWritable] >> p & 1) << 1
            | (w[s.ReturnedCover] >> p & 1) << 2 | (w[s.ActiveCover] >> p & 1) << 3;
        ulong key = Mix(bits, pte < 0 ? 0 : (ulong)(uint)Owner(i[s.FrameOwner + pte]) << 32 | (ulong)(uint)i[s.FrameRef + pte] << 1 | (ulong)(uint)i[s.FrameCopied + pte] & 1);
        for (int c = 0; c < cpus; c++)
        {
            int from = cpuAt[c];
            key = Mix(key, Cached(w[s.TlbValid + from], w[s.TlbWritable + from], p, i[s.TlbFrame + from * pages + p], pte, s));
        }
        for (int d = 0; d < devices; d++)
        {
            int from = devAt[d];
            key = Mix(key, Cached(w[s.IotlbValid + from], w[s.IotlbWritable + from], p, i[s.IotlbFrame + from * pages + p], pte, s)
                ^ (i[s.FaultPage + from] == p ? 0x100UL : 0));
        }
        for (int h = 0; h < shadows; h++)
        {
            int from = shAt[h];
            key = Mix(key, Cached(w[s.SpteValid + from], w[s.SpteWritable + from], p, i[s.SpteFrame + from * pages + p], pte, s)
                ^ (i[s.CtxPage + from] == p ? 0x100UL : 0));
        }
        for (int k = 0; k < threads; k++)
        {
            ulong tb = (w[s.Changed + k] >> p & 1) | (w[s.Flushed + k] >> p & 1) << 1 | (w[s.Cover + k] >> p & 1) << 2
                | (w[s.Deferred + k] >> p & 1) << 3;
            int last = i[s.LastUnmapped + k * pages + p];
            key = Mix(key, tb << 8 | (ulong)(uint)(last < 0 ? 0 : last == pte ? 1 : 2 + (Owner(i[s.FrameOwner + last]) & 0xF)));
        }
        return dirty ? Mix(key, DirtyPageRecord(s, p, pte)) : key;
    }

    private static ulong Cached(ulong valid, ulong writable, int p, int frame, int pte, ModelState s)
    {
        if ((valid >> p & 1) == 0) return 0;
        ulong rel = frame == pte ? 1UL : 2UL + (ulong)(Owner(s.I[s.FrameOwner + frame]) & 0xF);
        return 0x80 | (writable >> p & 1) << 6 | rel;
    }

    // ---- helpers ----

    /// <summary>
    /// A frame's owner as the representative stores it: free and another owner's are one. In the vocabulary
    /// <see cref="SymmetryPlan.UsesOnlyHandledVocabulary"/> admits, every step and invariant asks only whether a
    /// frame is the mm's (use-after-free, put_page, get_page, the access check, Machine's good-entry test); free
    /// versus reused is read by the §7 walk, which the whitelist refuses, and by the words of a counterexample,
    /// which is concrete. §8 does not read it: a page-cache frame leaves the cache when freed (Machine.PutFrame),
    /// a reuse changes no §8 field, and §8 steps ask only "the mm's or not" (StateCanonicalizer.Dirty). So the allocator's reuse (free → another owner) changes nothing a
    /// search can observe but the free count, and the free queue's frames and order need not be stored.
    /// </summary>
    internal static int Owner(int owner) => owner == ModelState.OwnerFree ? ModelState.OwnerOther : owner;

    private void SortByKey(int from, int to)
    {
        for (int a = from + 1; a < to; a++)
        {
            ulong k = keys[a];
            int x = idx[a];
            int b = a - 1;
            while (b >= from && (keys[b] > k || (keys[b] == k && idx[b] > x)))
            {
                keys[b + 1] = keys[b];
                idx[b + 1] = idx[b];
                b--;
            }
            keys[b + 1] = k;
            idx[b + 1] = x;
        }
    }

    private static void SortInts(int[] a, int at, int count)
    {
        for (int x = at + 1; x < at + count; x++)
        {
            int v = a[x], y = x - 1;
            while (y >= at && a[y] > v) { a[y + 1] = a[y]; y--; }
            a[y + 1] = v;
        }
    }

    private static ulong Mix(ulong h, ulong v)
    {
        unchecked
        {
            h ^= v + 0x9E3779B97F4A7C15UL + (h << 6) + (h >> 2);
            h *= 0xFF51AFD7ED558CCDUL;
            return h ^ (h >> 33);
        }
    }
}
