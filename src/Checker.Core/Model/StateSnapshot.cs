using Checker.Invariants;
using Checker.Text;

namespace Checker.Model;

/// <summary>
/// A typed copy of the model state, built only when reporting (never on the hot path): each PTE; each CPU TLB,
/// device IOTLB and shadow sPTE cell with its stale flag (a translation more permissive than the PTE, judged by
/// <see cref="StaleSecondaryAfterFlush.IsStale"/>); the frames the run involves (every frame the mm has held;
/// not the unused placeholders of pages that start unmapped) with owner, references and the copied mark; and
/// the mm counters. Renderers turn it into text (<c>Reports.StateText</c>); it holds no strings.
/// </summary>
public sealed record StateSnapshot(
    EquatableArray<PteCell> Ptes,
    EquatableArray<EquatableArray<CacheCell>> Tlbs,
    EquatableArray<EquatableArray<CacheCell>> Iotlbs,
    EquatableArray<EquatableArray<CacheCell>> Sptes,
    EquatableArray<FrameCell> Frames,
    MmCounters Mm)
{
    /// <summary>§7: the page-table tree's tables and walk entries; null when the tree is off.</summary>
    public TreeSnapshot? Tree { get; init; }

    /// <summary>The cells of one cache, page by page.</summary>
    public EquatableArray<CacheCell> Cache(CacheUnit cache) => cache.Kind switch
    {
        CacheKind.Tlb => Tlbs[cache.Unit],
        CacheKind.Iotlb => Iotlbs[cache.Unit],
        _ => Sptes[cache.Unit],
    };

    /// <summary>True when the cache holds a stale entry for some page.</summary>
    public bool HoldsStale(CacheUnit cache)
    {
        foreach (var cell in Cache(cache))
            if (cell.Stale) return true;
        return false;
    }

    internal static StateSnapshot Of(Machine machine)
    {
        var s = machine.State;
        var program = machine.Program;
        var ptes = new PteCell[s.Pages];
        for (int p = 0; p < s.Pages; p++)
        {
            ulong bit = 1UL << p;
            bool present = (s.W[s.PtePresent] & bit) != 0;
            ptes[p] = new PteCell(present, present ? s.I[s.PteFrame + p] : -1, present && (s.W[s.PteWritable] & bit) != 0);
            if (s.HasDirty && present) // §8
                ptes[p] = ptes[p] with { Dirty = Tracked(s, s.I[s.PteFrame + p]) && (s.W[s.PteDirty] & bit) != 0, Protnone = (s.W[s.PteProtnone] & bit) != 0 };
        }
        var tlbs = new EquatableArray<CacheCell>[s.Cpus];
        for (int c = 0; c < s.Cpus; c++)
        {
            bool mm1 = s.Tree is { HasMm2: true } mt && c >= mt.Mm0Cpus; // §7 mm2: mm 1's CPUs are judged against mm 1's PTEs
            int selected = s.SelectedMm;
            if (mm1) s.SelectMm(1, s.Mm1ViewSet());
            tlbs[c] = Cells(s, s.W[s.TlbValid + c], s.W[s.TlbWritable + c], s.TlbFrame + c * s.Pages, s.HasDirty ? s.W[s.TlbDirty + c] : 0);
            if (mm1) s.SelectMm(selected, selected == 0 ? 0 : s.Mm1ViewSet());
        }
        var iotlbs = new EquatableArray<CacheCell>[s.Devices];
        for (int d = 0; d < s.Devices; d++) iotlbs[d] = Cells(s, s.W[s.IotlbValid + d], s.W[s.IotlbWritable + d], s.IotlbFrame + d * s.Pages, s.HasDirty ? s.W[s.IotlbDirty + d] : 0);
        var sptes = new EquatableArray<CacheCell>[s.Shadows];
        for (int h = 0; h < s.Shadows; h++) sptes[h] = Cells(s, s.W[s.SpteValid + h], s.W[s.SpteWritable + h], s.SpteFrame + h * s.Pages);

        var frames = new List<FrameCell>();
        int count = s.I[s.FrameCount];
        for (int f = 0; f < count; f++)
        {
            int owner = s.I[s.FrameOwner + f];
            // frames 0..pages-1 of pages that start unmapped are placeholders the mm never held
            if (owner == ModelState.OwnerOther && s.I[s.FrameRef + f] == 0 && f < s.Pages && (program.InitialPresent >> f & 1) == 0) continue;
            if (s.Tree is { } t && t.IsTableFrame(f)) continue; // §7: tables are listed as tables
            var cell = new FrameCell(f, (FrameOwner)owner, s.I[s.FrameRef + f], s.I[s.FrameCopied + f] != 0);
            if (s.HasDirty) cell = cell with { Dirty = DirtyOf(s, f) }; // §8
            frames.Add(cell);
        }
        bool attached = s.I[s.Attached] != 0;
        var mm = new MmCounters(s.I[s.TlbFlushPending], s.I[s.TlbFlushBatched], s.I[s.ActiveInvalidations], s.I[s.Seq],
            attached, !attached && program.HasSecondaries);
        return new StateSnapshot(ptes.ToImmutableArrayOrEmpty(), tlbs.ToImmutableArrayOrEmpty(), iotlbs.ToImmutableArrayOrEmpty(),
            sptes.ToImmutableArrayOrEmpty(), frames.ToArray().ToImmutableArrayOrEmpty(), mm)
        { Tree = s.Tree is { } tree ? TreeSnapshot.Of(s, tree) : null }; // §7
    }

    // §8 dirty data (issue 13)
    private static bool Tracked(ModelState s, int f) => f >= 0 && (s.I[s.FrameCache + f] != 0 || s.I[s.FrameLazy + f] != 0);

    private static DirtyFrame DirtyOf(ModelState s, int f)
    {
        bool pinned = false;
        for (int t = 0; t < s.Threads && !pinned; t++)
            for (int p = 0; p < s.Pages; p++)
                if (s.I[s.PinFrame + t * s.Pages + p] == f) pinned = true;
        return new DirtyFrame(s.I[s.FrameCache + f] != 0, s.I[s.FramePgDirty + f] != 0, s.C[s.FrameContent + f], s.C[s.FrameDisk + f],
            s.I[s.FrameLazy + f] != 0, s.I[s.FrameBaselineSet + f] != 0 ? s.C[s.FrameBaseline + f] : -1, s.I[s.FrameDiscarded + f] != 0, pinned);
    }

    private static EquatableArray<CacheCell> Cells(ModelState s, ulong valid, ulong writable, int frameBase, ulong dirty = 0)
    {
        var cells = new CacheCell[s.Pages];
        for (int p = 0; p < s.Pages; p++)
        {
            ulong bit = 1UL << p;
            if ((valid & bit) == 0)
            {
                cells[p] = CacheCell.None;
                continue;
            }
            int frame = s.I[frameBase + p];
            bool w = (writable & bit) != 0;
            bool stale = StaleSecondaryAfterFlush.IsStale(frame, w, (s.W[s.PtePresent] & bit) != 0, s.I[s.PteFrame + p], (s.W[s.PteWritable] & bit) != 0);
            if (s.HasDirty && (s.W[s.PteProtnone] & bit) != 0) stale = true; // §8.2 rule 6
            cells[p] = new CacheCell(true, frame, w, stale) { Dirty = (dirty & bit) != 0 && Tracked(s, frame) };
        }
        return cells.ToImmutableArrayOrEmpty();
    }
}
