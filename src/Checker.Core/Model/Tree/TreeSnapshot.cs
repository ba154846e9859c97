using Checker.Text;

namespace Checker.Model;

/// <summary>§7: a page-table page in a report: its frame, what it is (<c>pmd</c>, <c>pte0</c> for region 0's PTE
/// table, <c>kpmd</c>, <c>kpte0</c>), its owner and whether the live tree links it.</summary>
public sealed record TableCell(int Frame, string Role, FrameOwner Owner, bool Linked);

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
    internal static TreeSnapshot Of(ModelState s, TreeLayout tree)
    {
        var tables = new List<TableCell>();
        for (int k = 0; k < tree.Slots; k++)
        {
            int f = tree.TableBase + k;
            var owner = (FrameOwner)s.I[s.FrameOwner + f];
            if (owner == FrameOwner.Other && s.I[s.FrameRef + f] == 0 && !Touched(s, f)) continue;
            tables.Add(new TableCell(f, Role(tree, k), owner, Linked(s, tree, f)));
        }
        var cpus = new EquatableArray<WalkCell>[s.Cpus];
        for (int c = 0; c < s.Cpus; c++) cpus[c] = Walks(s, tree, s.TlbW2 + c, s.TlbW1 + c * tree.Regions, s.TlbW1k + c * tree.KernelRegions);
        var devices = new EquatableArray<WalkCell>[s.Devices];
        for (int d = 0; d < s.Devices; d++) devices[d] = Walks(s, tree, s.IotlbW2 + d, s.IotlbW1 + d * tree.Regions, s.IotlbW1k + d * tree.KernelRegions);
        return new TreeSnapshot(tables.ToArray().ToImmutableArrayOrEmpty(), cpus.ToImmutableArrayOrEmpty(), devices.ToImmutableArrayOrEmpty());
    }

    private static bool Touched(ModelState s, int frame)
    {
        // a split's fresh table is listed once it was handed out (it stays 'other' until then)
        for (int k = 0; k < s.I[s.FreeCount]; k++)
            if (s.I[s.FreeQueue + (s.I[s.FreeHead] + k) % s.MaxFrames] == frame) return true;
        return false;
    }

    private static string Role(TreeLayout tree, int slot)
    {
        if (slot == 0) return "pmd";
        if (slot <= tree.Regions) return "pte" + (slot - 1);
        if (slot == tree.KernelPmdSlot) return "kpmd";
        if (slot >= tree.FirstKernelPteSlot && slot < tree.FirstKernelPteSlot + tree.KernelRegions) return "kpte" + (slot - tree.FirstKernelPteSlot);
        return "pte(split)";
    }

    private static bool Linked(ModelState s, TreeLayout tree, int frame)
    {
        if (s.I[s.FrameOwner + frame] != ModelState.OwnerMm) return false;
        if (frame == tree.TableBase) return s.I[s.Pud] == frame;
        if (tree.KernelPmdSlot >= 0 && frame == tree.TableBase + tree.KernelPmdSlot) return true;
        for (int r = 0; r < tree.Regions; r++)
            if (s.I[s.PmdKind + r] == ModelState.PmdTable && s.I[s.PmdFrame + r] == frame) return s.I[s.Pud] >= 0;
        for (int j = 0; j < tree.KernelRegions; j++)
            if (s.I[s.KPmdFrame + j] == frame) return true;
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
