using Checker.Exploration;
using Checker.Model;
using Checker.Reports;

namespace Checker.Cli.Json;

/// <summary>
/// §7 (issue 12): the page-table tree's state at one step of a counterexample (step 0: the initial state), as
/// <c>--json</c> writes it next to the <c>.trace</c> of an ordering that turns the tree on: the PUD and PMD entries,
/// the table frames with owner, references and whether the live tree links them, each CPU's and device's walk entries
/// with their stale flag, and the GUP-fast walkers.
/// </summary>
public sealed record TreeStepDocument(
    int Step,
    string Actor,
    string Op,
    int Pud,
    int? Pud1,
    IReadOnlyList<PmdDocument> Pmd,
    IReadOnlyList<int> KernelPmd,
    IReadOnlyList<TableDocument> Tables,
    IReadOnlyList<IReadOnlyList<WalkDocument>> CpuWalks,
    IReadOnlyList<IReadOnlyList<WalkDocument>> DeviceWalks,
    IReadOnlyList<GupDocument> Gups)
{
    /// <summary>Every step of a replayed counterexample, the initial state first; null when the tree is off.</summary>
    public static IReadOnlyList<TreeStepDocument>? Of(CounterexampleReplay replay)
    {
        if (replay.Initial.Tree is null) return null;
        var steps = new List<TreeStepDocument>(replay.Steps.Count + 1) { From(0, "", "initial state", replay.Initial.Tree) };
        foreach (var r in replay.Steps)
            if (r.After.Tree is { } tree) steps.Add(From(r.Step, r.Op.Actor.Name, StepTable.OpText(r), tree));
        return steps;
    }

    private static TreeStepDocument From(int step, string actor, string op, TreeSnapshot t)
    {
        var pmd = new List<PmdDocument>(t.Pmd.Count);
        foreach (var e in t.Pmd) pmd.Add(new PmdDocument(e.Region, KindWord(e.Kind), e.Table));
        var kernel = new List<int>(t.KernelPmd.Count);
        foreach (var k in t.KernelPmd) kernel.Add(k);
        var tables = new List<TableDocument>(t.Tables.Count);
        foreach (var c in t.Tables) tables.Add(new TableDocument(c.Frame, c.Role, OwnerWord(c.Owner), c.Refs, c.Linked));
        var gups = new List<GupDocument>(t.Gups.Count);
        foreach (var g in t.Gups) gups.Add(new GupDocument(g.Walker, g.Name, g.Mm, g.Phase, g.Page, g.Table));
        return new TreeStepDocument(step, actor, op, t.Pud, t.Pud1, pmd, kernel, tables, Walks(t.CpuWalks), Walks(t.DeviceWalks), gups);
    }

    private static List<IReadOnlyList<WalkDocument>> Walks(Text.EquatableArray<Text.EquatableArray<WalkCell>> caches)
    {
        var list = new List<IReadOnlyList<WalkDocument>>(caches.Count);
        foreach (var cells in caches)
        {
            var walks = new List<WalkDocument>(cells.Count);
            foreach (var c in cells) walks.Add(new WalkDocument(c.Level, c.Table, c.Stale));
            list.Add(walks);
        }
        return list;
    }

    private static string KindWord(PmdEntryKind kind) => kind switch
    {
        PmdEntryKind.Table => "table",
        PmdEntryKind.Huge => "huge",
        PmdEntryKind.Invalid => "invalid",
        _ => "none",
    };

    private static string OwnerWord(FrameOwner owner) => owner switch
    {
        FrameOwner.Mm => "mm",
        FrameOwner.Free => "free",
        _ => "other",
    };
}

/// <summary>§7: a PMD entry of the user PMD table: <c>none</c>, <c>table</c> (then <see cref="Table"/> is the PTE
/// table's frame, else -1), <c>huge</c> or <c>invalid</c>.</summary>
public sealed record PmdDocument(int Region, string Kind, int Table);

/// <summary>§7: a table frame: its role (<c>pmd</c>, <c>pte0</c>, <c>kpmd</c>, <c>kpte0</c>, <c>pte(split)</c>), owner
/// (<c>mm</c>, <c>free</c>, <c>other</c>), references and whether the live tree links it.</summary>
public sealed record TableDocument(int Frame, string Role, string Owner, int Refs, bool Linked);

/// <summary>§7: a walk entry (<c>W2</c>, <c>W1[r]</c>, <c>W1k[j]</c>), the table it points at, and whether that
/// table is still in the live tree (stale: it is not).</summary>
public sealed record WalkDocument(string Level, int Table, bool Stale);

/// <summary>§7: a GUP-fast walker: its actor's name, mm, phase (0 idle, 1 after g1, 2 after g2), page and next table (-1
/// when idle).</summary>
public sealed record GupDocument(int Walker, string Name, int Mm, int Phase, int Page, int Table);
