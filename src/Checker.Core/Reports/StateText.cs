using System.Globalization;
using System.Text;
using Checker.Model;
using Checker.Text;

namespace Checker.Reports;

/// <summary>
/// The compact text of a <see cref="StateSnapshot"/>'s cells, shared by the step table, the HTML state table and
/// the log: <c>f3w</c> = frame 3 writable, <c>f3r</c> = read-only, <c>-</c> = PTE none, <c>.</c> = no entry, a
/// trailing <c>!</c> = stale; frames <c>f0:mm/1 f1:free f2:other</c> (<c>c</c>: copied); the mm counters.
/// </summary>
public static class StateText
{
    /// <summary>A PTE as printed in a step table.</summary>
    public static string Cell(PteCell pte) => pte.Present ? Frame(pte.Frame, pte.Writable) + (pte.Dirty ? "d" : "") + (pte.Protnone ? "n" : "") : "-";

    /// <summary>A TLB entry as printed in a step table.</summary>
    public static string Cell(CacheCell cell) => cell.Valid ? Frame(cell.Frame, cell.Writable) + (cell.Dirty ? "d" : "") + (cell.Stale ? "!" : "") : ".";

    /// <summary>A frame and a permission: <c>f0w</c>, <c>f2r</c>.</summary>
    public static string Frame(int frame, bool writable) => "f" + frame.ToString(CultureInfo.InvariantCulture) + (writable ? "w" : "r");

    /// <summary>Every PTE, one cell per page, space-separated.</summary>
    public static string Ptes(StateSnapshot s)
    {
        var sb = new StringBuilder();
        foreach (var pte in s.Ptes)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(Cell(pte));
        }
        return sb.ToString();
    }

    /// <summary>One cache, one cell per page, space-separated.</summary>
    public static string Cache(EquatableArray<CacheCell> cells)
    {
        var sb = new StringBuilder();
        for (int p = 0; p < cells.Count; p++)
        {
            if (p > 0) sb.Append(' ');
            sb.Append(Cell(cells[p]));
        }
        return sb.ToString();
    }

    /// <summary>Each cache of a kind (CPU TLBs, IOTLBs or sPTEs) as its text.</summary>
    public static List<string> Caches(EquatableArray<EquatableArray<CacheCell>> caches)
    {
        var list = new List<string>(caches.Count);
        foreach (var cells in caches) list.Add(Cache(cells));
        return list;
    }

    /// <summary>The frames column of a step table.</summary>
    public static string Frames(StateSnapshot s)
    {
        var sb = new StringBuilder();
        foreach (var f in s.Frames)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append('f').Append(f.Frame.ToString(CultureInfo.InvariantCulture)).Append(':').Append(f.Owner switch
            {
                FrameOwner.Mm => "mm/" + f.References.ToString(CultureInfo.InvariantCulture),
                FrameOwner.Free => "free",
                _ => "other",
            });
            if (f.Copied) sb.Append('c');
            if (f.Dirty is { } d) sb.Append(DirtyFrameText(d)); // §8
        }
        return sb.ToString();
    }

    /// <summary>§8: a frame's dirty-data state, e.g. <c>(cache v2 disk v1 PG_dirty)</c>, <c>(lazyfree v1 base v0)</c>;
    /// empty for an anonymous frame.</summary>
    public static string DirtyFrameText(DirtyFrame d)
    {
        if (!d.InCache && !d.Lazyfree && !d.Discarded && !d.Pinned) return "";
        var parts = new List<string>();
        if (d.InCache) parts.Add(string.Create(CultureInfo.InvariantCulture, $"cache v{d.Content} disk v{d.Disk}"));
        if (d.Lazyfree) parts.Add(string.Create(CultureInfo.InvariantCulture, $"lazyfree v{d.Content}") + (d.Baseline >= 0 ? string.Create(CultureInfo.InvariantCulture, $" base v{d.Baseline}") : ""));
        if (d.PgDirty) parts.Add("PG_dirty");
        if (d.Discarded) parts.Add("discarded");
        if (d.Pinned) parts.Add("pinned");
        return "(" + string.Join(" ", parts) + ")";
    }

    /// <summary>§8: the notation line's addition for an ordering that uses dirty data.</summary>
    public const string DirtyNotation = ", 'd' = dirty (D = 1), 'n' = PROT_NONE";

    /// <summary>The mm counters column of a step table.</summary>
    public static string Mm(StateSnapshot s)
    {
        var mm = s.Mm;
        return string.Create(CultureInfo.InvariantCulture,
            $"tlb_flush_pending={mm.TlbFlushPending} tlb_flush_batched={mm.TlbFlushBatched} invalidations={mm.ActiveInvalidations} seq={mm.Seq}{(mm.Released ? " released" : "")}");
    }

    // §7 the page-table tree

    /// <summary>§7: the table frames, <c>t4:pmd/mm/2 t5:pte0/mm/1~ t6:pte1/free</c> (like frames: owner and, while the
    /// mm holds it, its reference count — the PUDs pointing at a PMD table; <c>~</c>: unlinked from the live tree).</summary>
    public static string Tables(StateSnapshot s)
    {
        if (s.Tree is not { } tree) return "";
        var sb = new StringBuilder();
        foreach (var t in tree.Tables)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(Table(t));
        }
        return sb.ToString();
    }

    /// <summary>§7: one table frame, <c>t5:pte0/mm/1~</c>.</summary>
    public static string Table(TableCell t)
    {
        string owner = t.Owner switch
        {
            FrameOwner.Mm => "mm/" + t.Refs.ToString(CultureInfo.InvariantCulture),
            FrameOwner.Free => "free",
            _ => "other",
        };
        return "t" + t.Frame.ToString(CultureInfo.InvariantCulture) + ":" + t.Role + "/" + owner + (t.Owner == FrameOwner.Mm && !t.Linked ? "~" : "");
    }

    /// <summary>§7: the PUD and PMD entries, <c>pud>t4 [0]>t5 [1]huge [2]- [3]inv</c>, then mm 1's PUD
    /// (<c>mm1 pud>t4</c>) under mm2 and the kernel PMD table's entries (<c>k[0]>t9</c>); <c>pud -</c>: none.</summary>
    public static string Pmd(StateSnapshot s)
    {
        if (s.Tree is not { } tree) return "";
        var sb = new StringBuilder();
        sb.Append(Pud("pud", tree.Pud));
        foreach (var e in tree.Pmd)
        {
            sb.Append(" [").Append(e.Region.ToString(CultureInfo.InvariantCulture)).Append(']').Append(e.Kind switch
            {
                PmdEntryKind.Table => ">t" + e.Table.ToString(CultureInfo.InvariantCulture),
                PmdEntryKind.Huge => "huge",
                PmdEntryKind.Invalid => "inv",
                _ => "-",
            });
        }
        if (tree.Pud1 is { } pud1) sb.Append(' ').Append(Pud("mm1 pud", pud1));
        foreach (var e in tree.Pmd1) // §7 mm2: mm 1's own entries and PTEs
            sb.Append(" [").Append(e.Region.ToString(CultureInfo.InvariantCulture)).Append(']').Append(e.Kind switch
            {
                PmdEntryKind.Table => ">t" + e.Table.ToString(CultureInfo.InvariantCulture),
                PmdEntryKind.Huge => "huge",
                PmdEntryKind.Invalid => "inv",
                _ => "-",
            });
        if (tree.Ptes1.Count > 0)
        {
            sb.Append(" mm1 ptes");
            foreach (var pte in tree.Ptes1) sb.Append(' ').Append(Cell(pte));
        }
        for (int j = 0; j < tree.KernelPmd.Count; j++)
            sb.Append(" k[").Append(j.ToString(CultureInfo.InvariantCulture)).Append(']')
              .Append(tree.KernelPmd[j] >= 0 ? ">t" + tree.KernelPmd[j].ToString(CultureInfo.InvariantCulture) : "-");
        return sb.ToString();

        static string Pud(string name, int frame) => frame >= 0 ? name + ">t" + frame.ToString(CultureInfo.InvariantCulture) : name + " -";
    }

    /// <summary>§7: the GUP-fast walkers by actor name, <c>gup0:- gup1:g2 p0>t5</c>: idle, or the step it took last, the
    /// page it walks and the table it reads next (its IRQs-off window is open).</summary>
    public static string Gups(StateSnapshot s)
    {
        if (s.Tree is not { } tree) return "";
        var sb = new StringBuilder();
        foreach (var g in tree.Gups)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(g.Name).Append(':');
            if (g.Phase == 0) sb.Append('-');
            else sb.Append('g').Append(g.Phase.ToString(CultureInfo.InvariantCulture)).Append(" p").Append(g.Page.ToString(CultureInfo.InvariantCulture))
                   .Append(">t").Append(g.Table.ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>§7: one cache's walk entries, <c>W2>t4 W1[0]>t5!</c> (<c>!</c>: the live tree no longer links that table), or <c>.</c>.</summary>
    public static string Walks(EquatableArray<WalkCell> cells)
    {
        if (cells.Count == 0) return ".";
        var sb = new StringBuilder();
        foreach (var c in cells)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(Walk(c));
        }
        return sb.ToString();
    }

    /// <summary>§7: one walk entry, <c>W1[0]>t5!</c>.</summary>
    public static string Walk(WalkCell c) => c.Level + ">t" + c.Table.ToString(CultureInfo.InvariantCulture) + (c.Stale ? "!" : "");
}
