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
        }
        var tlbs = new EquatableArray<CacheCell>[s.Cpus];
        for (int c = 0; c < s.Cpus; c++) tlbs[c] = Cells(s, s.W[s.TlbValid + c], s.W[s.TlbWritable + c], s.TlbFrame + c * s.Pages);
        var iotlbs = new EquatableArray<CacheCell>[s.Devices];
        for (int d = 0; d < s.Devices; d++) iotlbs[d] = Cells(s, s.W[s.IotlbValid + d], s.W[s.IotlbWritable + d], s.IotlbFrame + d * s.Pages);
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
            frames.Add(new FrameCell(f, (FrameOwner)owner, s.I[s.FrameRef + f], s.I[s.FrameCopied + f] != 0));
        }
        bool attached = s.I[s.Attached] != 0;
        var mm = new MmCounters(s.I[s.TlbFlushPending], s.I[s.TlbFlushBatched], s.I[s.ActiveInvalidations], s.I[s.Seq],
            attached, !attached && program.HasSecondaries);
        return new StateSnapshot(ptes.ToImmutableArrayOrEmpty(), tlbs.ToImmutableArrayOrEmpty(), iotlbs.ToImmutableArrayOrEmpty(),
            sptes.ToImmutableArrayOrEmpty(), frames.ToArray().ToImmutableArrayOrEmpty(), mm)
        { Tree = s.Tree is { } tree ? TreeSnapshot.Of(s, tree) : null }; // §7
    }

    private static EquatableArray<CacheCell> Cells(ModelState s, ulong valid, ulong writable, int frameBase)
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
            cells[p] = new CacheCell(true, frame, w, stale);
        }
        return cells.ToImmutableArrayOrEmpty();
    }
}
