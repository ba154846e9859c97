using Checker.Text;

namespace Checker.Model;

/// <summary>§7: a page-table page in a report: its frame, what it is (<c>pmd</c>, <c>pte0</c> for region 0's PTE
/// table, <c>kpmd</c>, <c>kpte0</c>), its owner and whether the live tree links it.</summary>
public sealed record TableCell(int Frame, string Role, FrameOwner Owner, bool Linked)
{
    /// <summary>Its reference count: the PUDs pointing at a PMD table (2 while two mms share it), 1 for a linked
    /// or kept PTE table, 0 once free.</summary>
    public int Refs { get; init; }
}

/// <summary>§7: what a PMD entry holds.</summary>
public enum PmdEntryKind : byte
{
    /// <summary>pmd_none: nothing mapped.</summary>
    None,
    /// <summary>A pointer to a PTE table.</summary>
    Table,
    /// <summary>A huge (leaf) PMD mapping the region's H frames.</summary>
    Huge,
    /// <summary>Not present, frames kept (pmdp_invalidate).</summary>
    Invalid,
}

/// <summary>§7: one PMD entry of the user PMD table (region <see cref="Region"/>): its kind and, for a table
/// entry, the PTE table's frame (else -1).</summary>
public sealed record PmdCell(int Region, PmdEntryKind Kind, int Table);

/// <summary>§7: a GUP-fast walker in a report: its mm, its phase (0 idle, 1 after g1, 2 after g2: inside its
/// IRQs-off window), the page it walks and the table it will read next (-1 when idle).</summary>
public sealed record GupCell(int Walker, int Mm, int Phase, int Page, int Table)
{
    /// <summary>The walker's actor: <c>gup0</c>… for a <c>gup_fast</c> line's, the thread's name for an explicit one.</summary>
    public string Name { get; init; } = "";
}

/// <summary>§7: a walk entry in a report: its level (<c>W2</c>, <c>W1[r]</c>, <c>W1k[j]</c>), the table it points at,
/// and <see cref="Stale"/>: the live tree no longer links that table (freed, reused, or unlinked).</summary>
public sealed record WalkCell(string Level, int Table, bool Stale);

/// <summary>§7: the page-table tree's part of a <see cref="StateSnapshot"/>: the table frames, and the walk entries of
/// each CPU and each device.</summary>
public sealed record TreeSnapshot(
    EquatableArray<TableCell> Tables,
    EquatableArray<EquatableArray<WalkCell>> CpuWalks,
    EquatableArray<EquatableArray<WalkCell>> DeviceWalks)
{
    /// <summary>mm 0's PUD entry: the frame of the PMD table it points at, or -1 (none).</summary>
    public int Pud { get; init; } = -1;

    /// <summary>mm 1's PUD entry under <c>mm2</c> (its PMD table frame, or -1); null without a second mm.</summary>
    public int? Pud1 { get; init; }

    /// <summary>§7 mm2 (issue 12): mm 1's own PMD entries, one per region (its own table, or its copy once mm 0
    /// unshared); empty without a second mm or while mm 1 shares mm 0's table.</summary>
    public EquatableArray<PmdCell> Pmd1 { get; init; } = EquatableArray<PmdCell>.Empty;

    /// <summary>§7 mm2 (issue 12): mm 1's own PTEs, one per page; empty when <see cref="Pmd1"/> is.</summary>
    public EquatableArray<PteCell> Ptes1 { get; init; } = EquatableArray<PteCell>.Empty;

    /// <summary>The user PMD table's entries, one per region.</summary>
    public EquatableArray<PmdCell> Pmd { get; init; } = EquatableArray<PmdCell>.Empty;

    /// <summary>The kernel PMD table's entries, one per kernel region: the kernel PTE table's frame, or -1.</summary>
    public EquatableArray<int> KernelPmd { get; init; } = EquatableArray<int>.Empty;

    /// <summary>The GUP-fast walkers, one per <c>gup_fast</c> line.</summary>
    public EquatableArray<GupCell> Gups { get; init; } = EquatableArray<GupCell>.Empty;

    internal static TreeSnapshot Of(ModelState s, TreeLayout tree)
    {
        var tables = new List<TableCell>();
        for (int k = 0; k < tree.Slots; k++)
        {
            int f = tree.TableBase + k;
            var owner = (FrameOwner)s.I[s.FrameOwner + f];
            if (owner == FrameOwner.Other && s.I[s.FrameRef + f] == 0 && !Touched(s, f)) continue;
            int refs = k == 0 && owner == FrameOwner.Mm ? s.I[s.PmdRef] // the PMD table: its PUDs
                : k == tree.Mm1PmdSlot && owner == FrameOwner.Mm ? s.I[s.PmdRef1] : s.I[s.FrameRef + f];
            tables.Add(new TableCell(f, Role(tree, k), owner, Linked(s, tree, f)) { Refs = refs });
        }
        var cpus = new EquatableArray<WalkCell>[s.Cpus];
        for (int c = 0; c < s.Cpus; c++) cpus[c] = Walks(s, tree, s.TlbW2 + c, s.TlbW1 + c * tree.Regions, s.TlbW1k + c * tree.KernelRegions);
        var devices = new EquatableArray<WalkCell>[s.Devices];
        for (int d = 0; d < s.Devices; d++) devices[d] = Walks(s, tree, s.IotlbW2 + d, s.IotlbW1 + d * tree.Regions, s.IotlbW1k + d * tree.KernelRegions);
        var pmd = new PmdCell[tree.Regions];
        for (int r = 0; r < tree.Regions; r++)
        {
            var kind = (PmdEntryKind)s.I[s.PmdKind + r];
            pmd[r] = new PmdCell(r, kind, kind == PmdEntryKind.Table ? s.I[s.PmdFrame + r] : -1);
        }
        var kernel = new int[tree.KernelRegions];
        for (int j = 0; j < tree.KernelRegions; j++) kernel[j] = s.I[s.KPmdFrame + j];
        var gups = new GupCell[tree.GupWalkers];
        for (int g = 0; g < tree.GupWalkers; g++)
        {
            int phase = s.I[s.GupPhase + g];
            gups[g] = new GupCell(g, tree.GupMm[g], phase, phase == 0 ? -1 : s.I[s.GupPage + g], phase == 0 ? -1 : s.I[s.GupTable + g])
            { Name = tree.WalkerName[g] };
        }
        var pmd1 = Array.Empty<PmdCell>();
        var ptes1 = Array.Empty<PteCell>();
        if (OwnView(s, tree)) // §7 mm2: mm 1's own entries
        {
            pmd1 = new PmdCell[tree.Regions];
            for (int r = 0; r < tree.Regions; r++)
            {
                var kind = (PmdEntryKind)s.I[s.SetKind(1) + r];
                pmd1[r] = new PmdCell(r, kind, kind == PmdEntryKind.Table ? s.I[s.SetPmdFrame(1) + r] : -1);
            }
            ptes1 = new PteCell[s.Pages];
            for (int p = 0; p < s.Pages; p++)
            {
                bool present = (s.W[s.SetPresent(1)] >> p & 1) != 0;
                ptes1[p] = new PteCell(present, present ? s.I[s.SetFrame(1) + p] : -1, present && (s.W[s.SetWritable(1)] >> p & 1) != 0);
            }
        }
        return new TreeSnapshot(tables.ToArray().ToImmutableArrayOrEmpty(), cpus.ToImmutableArrayOrEmpty(), devices.ToImmutableArrayOrEmpty())
        {
            Pmd1 = pmd1.ToImmutableArrayOrEmpty(),
            Ptes1 = ptes1.ToImmutableArrayOrEmpty(),
            Pud = s.I[s.Pud],
            Pud1 = tree.HasMm2 ? s.I[s.Pud1] : null,
            Pmd = pmd.ToImmutableArrayOrEmpty(),
            KernelPmd = kernel.ToImmutableArrayOrEmpty(),
            Gups = gups.ToImmutableArrayOrEmpty(),
        };
    }

    private static bool Touched(ModelState s, int frame)
    {
        // a split's fresh table is listed once it was handed out (it stays 'other' until then)
        for (int k = 0; k < s.I[s.FreeCount]; k++)
            if (s.I[s.FreeQueue + (s.I[s.FreeHead] + k) % s.MaxFrames] == frame) return true;
        return false;
    }

    /// <summary>§7 mm2: mm 1 has entries of its own (its own table, or its copy after mm 0 unshared).</summary>
    private static bool OwnView(ModelState s, TreeLayout tree) =>
        tree.HasMm2 && (tree.Mm2Own || s.I[s.Mm1Copied] != 0);

    private static string Role(TreeLayout tree, int slot)
    {
        if (slot == 0) return "pmd";
        if (tree.Mm2Own && slot == tree.Mm1PmdSlot) return "pmd(mm1)"; // §7 mm2
        if (tree.Mm2Own && slot > tree.Mm1PmdSlot && slot <= tree.Mm1PmdSlot + tree.Regions) return "pte" + (slot - tree.Mm1FirstPteSlot) + "(mm1)";
        if (slot <= tree.Regions) return "pte" + (slot - 1);
        if (slot == tree.KernelPmdSlot) return "kpmd";
        if (slot >= tree.FirstKernelPteSlot && slot < tree.FirstKernelPteSlot + tree.KernelRegions) return "kpte" + (slot - tree.FirstKernelPteSlot);
        return "pte(split)";
    }

    private static bool Linked(ModelState s, TreeLayout tree, int frame)
    {
        if (s.I[s.FrameOwner + frame] != ModelState.OwnerMm) return false;
        if (frame == tree.TableBase) return s.I[s.Pud] == frame || (tree.HasMm2 && s.I[s.Pud1] == frame); // §7 mm2: mm 1 may keep it
        if (tree.KernelPmdSlot >= 0 && frame == tree.TableBase + tree.KernelPmdSlot) return true;
        for (int r = 0; r < tree.Regions; r++)
            if (s.I[s.PmdKind + r] == ModelState.PmdTable && s.I[s.PmdFrame + r] == frame) return s.I[s.Pud] >= 0;
        for (int j = 0; j < tree.KernelRegions; j++)
            if (s.I[s.KPmdFrame + j] == frame) return true;
        if (OwnView(s, tree)) // §7 mm2: linked in mm 1's own PMD table
        {
            if (frame == s.I[s.Pud1]) return true;
            for (int r = 0; r < tree.Regions; r++)
                if (s.I[s.SetKind(1) + r] == ModelState.PmdTable && s.I[s.SetPmdFrame(1) + r] == frame) return s.I[s.Pud1] >= 0;
        }
        return false;
    }

    private static EquatableArray<WalkCell> Walks(ModelState s, TreeLayout tree, int w2, int w1, int w1k)
    {
        var cells = new List<WalkCell>();
        if (s.I[w2] >= 0) cells.Add(new WalkCell("W2", s.I[w2], !Linked(s, tree, s.I[w2])));
        for (int r = 0; r < tree.Regions; r++)
            if (s.I[w1 + r] >= 0) cells.Add(new WalkCell($"W1[{r}]", s.I[w1 + r], !Linked(s, tree, s.I[w1 + r])));
        for (int j = 0; j < tree.KernelRegions; j++)
            if (s.I[w1k + j] >= 0) cells.Add(new WalkCell($"W1k[{j}]", s.I[w1k + j], !Linked(s, tree, s.I[w1k + j])));
        return cells.ToArray().ToImmutableArrayOrEmpty();
    }
}
