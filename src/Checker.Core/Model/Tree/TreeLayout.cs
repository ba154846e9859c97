using System.Numerics;
using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Model;

/// <summary>
/// §7: the page-table tree's dimensions for one compiled ordering (null on <see cref="CompiledOrdering.Tree"/>
/// when the tree is off). Table frames are preassigned: slot 0 is the mm's PMD table, slots 1…R its PTE tables by
/// region, then the kernel PMD table and the kernel PTE tables, then one fresh PTE table per
/// <c>split_huge_pmd</c> op. Frame of slot k = <see cref="TableBase"/> + k; data frames come after them.
/// </summary>
internal sealed class TreeLayout
{
    public TreeLayout(Ordering ordering, Op[] ops)
    {
        int pages = ordering.Pages;
        Span = ordering.HugePageSpan;
        Regions = pages / Span;
        KernelPages = ordering.KernelPageCount;
        KernelRegions = KernelPages / Span;
        GupLines = ordering.GupWalkers.Count;
        // §7 (issue 12): each explicit 'thread NAME gup K' walks with a walker of its own, after the generated ones
        ThreadWalker = new int[ordering.Threads.Count];
        int walkers = GupLines;
        for (int t = 0; t < ThreadWalker.Length; t++)
            ThreadWalker[t] = ordering.Threads[t].Kind == ThreadKind.Gup ? walkers++ : -1;
        GupWalkers = walkers;
        WalkerName = new string[walkers];
        for (int g = 0; g < GupLines; g++) WalkerName[g] = "gup" + g;
        for (int t = 0; t < ThreadWalker.Length; t++)
            if (ThreadWalker[t] >= 0) WalkerName[ThreadWalker[t]] = ordering.Threads[t].Name;
        TableBase = pages;
        int slot = 1 + Regions;
        KernelPmdSlot = KernelPages > 0 ? slot++ : -1;
        FirstKernelPteSlot = slot;
        slot += KernelRegions;
        SplitSlot = new int[ops.Length];
        int setPmd = 0;
        for (int k = 0; k < ops.Length; k++)
        {
            SplitSlot[k] = -1;
            if (ops[k].Code == OpCode.SplitHugePmd) SplitSlot[k] = slot++;
            if (ops[k].Code == OpCode.SetPmdAt) setPmd++;
        }
        // §7 mm2 without shared-pmd: mm 1's own PMD table and PTE tables, after every other slot (issue 12)
        Mm2Own = ordering.Mm2 is { SharedPmd: false };
        Mm1PmdSlot = Mm2Own ? slot++ : -1;
        Mm1FirstPteSlot = slot;
        if (Mm2Own) slot += Regions;
        Slots = slot;
        ExtraDataFrames = setPmd * Span;
        Mm1DataBase = TableBase + Slots; // mm 1's data frames (one per page) follow the table frames
        Mm0Cpus = ordering.Cpus;
        ulong huge = 0;
        foreach (var h in ordering.HugeRanges) huge |= OrderingCompiler.Touched(h.Range.Start, h.Range.End, pages);
        InitialHuge = huge;
        // §7 mm2 (shared-pmd only): the mm of each thread and of each GUP-fast walker
        HasMm2 = ordering.Mm2 is not null;
        ThreadMm = new int[ordering.Threads.Count];
        for (int t = 0; t < ThreadMm.Length; t++)
            ThreadMm[t] = ordering.Threads[t].Kind == ThreadKind.Cpu ? (ordering.Threads[t].Index >= ordering.Cpus ? 1 : 0) : ordering.Threads[t].Mm;
        GupMm = new int[GupWalkers];
        for (int g = 0; g < GupLines; g++) GupMm[g] = ordering.GupWalkers[g].Mm;
        for (int t = 0; t < ThreadWalker.Length; t++) // an explicit walker walks the mm of the K-th gup_fast line
            if (ThreadWalker[t] >= 0 && ordering.Threads[t].Index < GupLines) GupMm[ThreadWalker[t]] = ordering.GupWalkers[ordering.Threads[t].Index].Mm;
        RegionMask = new ulong[Regions];
        for (int r = 0; r < Regions; r++)
            RegionMask[r] = (Span == 64 ? ulong.MaxValue : (1UL << Span) - 1) << (r * Span);
    }

    /// <summary>§7: an <c>mm2</c> header (with <c>shared-pmd</c>, mm 1's PUD starts pointing at mm 0's PMD table).</summary>
    public bool HasMm2 { get; }

    /// <summary>§7 mm2 without <c>shared-pmd</c>: mm 1 has its own PMD table, PTE tables and data frames.</summary>
    public bool Mm2Own { get; }

    /// <summary>§7 mm2: the slot of mm 1's own PMD table (-1 unless <see cref="Mm2Own"/>); its PTE tables follow.</summary>
    public int Mm1PmdSlot { get; }

    /// <summary>§7 mm2: the slot of mm 1's region-0 PTE table (meaningful only with <see cref="Mm2Own"/>).</summary>
    public int Mm1FirstPteSlot { get; }

    /// <summary>§7 mm2: the frame of mm 1's page 0 (its data frames, one per page, with <see cref="Mm2Own"/>).</summary>
    public int Mm1DataBase { get; }

    /// <summary>§7 mm2: mm 0's CPUs (the <c>cpus</c> line); CPUs from here on run mm 1 (<c>mm2 cpus K</c>).</summary>
    public int Mm0Cpus { get; }

    /// <summary>§7: per thread, the mm it runs on (an explicit CPU thread: its CPU's mm).</summary>
    public int[] ThreadMm { get; }

    /// <summary>§7: per GUP-fast walker, the mm it walks.</summary>
    public int[] GupMm { get; }

    /// <summary>H: pages per PTE table and per huge page.</summary>
    public int Span { get; }

    /// <summary>R: user regions (PMD entries).</summary>
    public int Regions { get; }

    /// <summary>Kernel pages k0…</summary>
    public int KernelPages { get; }

    /// <summary>Kernel regions (kernel PMD entries).</summary>
    public int KernelRegions { get; }

    /// <summary>GUP-fast walkers: one per <c>gup_fast</c> line (the generated gup0…), then one per explicit
    /// <c>thread NAME gup K</c>.</summary>
    public int GupWalkers { get; }

    /// <summary>The <c>gup_fast</c> lines: the generated walkers.</summary>
    public int GupLines { get; }

    /// <summary>§7 (issue 12): per walker, its actor's name (<c>gup0</c>…, or the explicit thread's).</summary>
    public string[] WalkerName { get; }

    /// <summary>§7 (issue 12): per thread, the walker an explicit GUP-fast thread steps, else -1.</summary>
    public int[] ThreadWalker { get; }

    /// <summary>The frame of table slot 0.</summary>
    public int TableBase { get; }

    /// <summary>Table slots (frames) in all.</summary>
    public int Slots { get; }

    /// <summary>The kernel PMD table's slot, or -1 without kernel pages.</summary>
    public int KernelPmdSlot { get; }

    /// <summary>The slot of kernel region 0's PTE table.</summary>
    public int FirstKernelPteSlot { get; }

    /// <summary>Per op: the fresh table slot of a split_huge_pmd, else -1.</summary>
    public int[] SplitSlot { get; }

    /// <summary>Data frames set_pmd_at may allocate.</summary>
    public int ExtraDataFrames { get; }

    /// <summary>Pages of the regions that start huge.</summary>
    public ulong InitialHuge { get; }

    /// <summary>The page mask of each region.</summary>
    public ulong[] RegionMask { get; }

    public int RegionOf(int page) => page / Span;

    /// <summary>The regions any page of <paramref name="mask"/> lies in, as a page mask.</summary>
    public ulong RegionsOf(ulong mask)
    {
        ulong result = 0;
        for (int r = 0; r < Regions; r++)
            if ((mask & RegionMask[r]) != 0) result |= RegionMask[r];
        return result;
    }

    public bool IsKernelTableFrame(int frame) =>
        KernelPmdSlot >= 0 && frame >= TableBase + KernelPmdSlot && frame < TableBase + FirstKernelPteSlot + KernelRegions;

    public bool IsTableFrame(int frame) => frame >= TableBase && frame < TableBase + Slots;

    public static int PopCount(ulong m) => BitOperations.PopCount(m);
}
