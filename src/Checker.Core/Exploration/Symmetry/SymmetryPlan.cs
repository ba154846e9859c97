using System.Linq;
using Checker.Language;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Exploration.Symmetry;

/// <summary>
/// Which pages, CPUs, devices and shadows of a compiled ordering nothing in the ordering tells apart (issue 14,
/// scalarsets): the classes whose elements exhaustive search may permute when it hashes a state. Pages are
/// grouped into units (a page and the pages <c>pte_move</c> pairs it with) and units into classes; a class's
/// units lie, component by component, in one maximal run of consecutive pages that every op range, driver
/// range arithmetic, header line and condition treats alike. Built once per ordering; allocates freely.
/// </summary>
internal sealed partial class SymmetryPlan
{
    private SymmetryPlan(int pages, PageClass[] pageClasses, int[][] cpuClasses, int[][] deviceClasses,
        int[][] shadowClasses, string? disabledBecause)
    {
        Pages = pages;
        PageClasses = pageClasses;
        CpuClasses = cpuClasses;
        DeviceClasses = deviceClasses;
        ShadowClasses = shadowClasses;
        DisabledBecause = disabledBecause;
    }

    public int Pages { get; }

    /// <summary>Page classes of at least two units.</summary>
    public PageClass[] PageClasses { get; }

    /// <summary>CPU classes of at least two CPUs (generated CPUs no explicit thread names).</summary>
    public int[][] CpuClasses { get; }

    /// <summary>Device classes of at least two devices with the same flavor and options.</summary>
    public int[][] DeviceClasses { get; }

    /// <summary>Shadow classes of at least two shadows of the same mode.</summary>
    public int[][] ShadowClasses { get; }

    /// <summary>Why nothing is reduced (null when the plan applies).</summary>
    public string? DisabledBecause { get; }

    /// <summary>True when some class is reduced.</summary>
    public bool Reduces => DisabledBecause is null
        && PageClasses.Length + CpuClasses.Length + DeviceClasses.Length + ShadowClasses.Length > 0;

    /// <summary>A page class: <see cref="Units"/> units of <see cref="Width"/> pages each, unit-major in
    /// <see cref="UnitPages"/> (component k of unit u is <c>UnitPages[u * Width + k]</c>).</summary>
    internal sealed record PageClass(int Units, int Width, int[] UnitPages);

    /// <summary>The plan for <paramref name="program"/>; with <paramref name="enabled"/> false, or when the ordering
    /// uses anything outside <see cref="UsesOnlyHandledVocabulary"/>, a plan that reduces nothing.</summary>
    public static SymmetryPlan For(CompiledOrdering program, bool enabled = true)
    {
        if (!enabled) return Disabled(program, "--no-symmetry");
        if (!UsesOnlyHandledVocabulary(program, out string? why)) return Disabled(program, why);
        return new SymmetryPlan(program.Pages, PageClassesOf(program), CpuClassesOf(program),
            DeviceClassesOf(program), ShadowClassesOf(program), null);
    }

    private static SymmetryPlan Disabled(CompiledOrdering program, string? why) =>
        new(program.Pages, [], [], [], [], why ?? "unhandled vocabulary");

    /// <summary>
    /// The whitelist: symmetry reduction applies only when every header line, op, flavor, shadow mode and
    /// architecture of the ordering is one <see cref="StateCanonicalizer"/> is known to handle, and the model
    /// state has exactly the layout it permutes (DESIGN §3.1 as of issue 14, and §8's dirty data:
    /// SymmetryPlan.Dirty). Anything else (DESIGN §7's page-table tree, or a header, op or per-page state added
    /// later) turns the reduction off until it is taught here.
    /// </summary>
    public static bool UsesOnlyHandledVocabulary(CompiledOrdering program, out string? why)
    {
        foreach (var header in program.Source.Headers)
        {
            if (header is HeaderLine.Name or HeaderLine.Kernel or HeaderLine.ArchLine or HeaderLine.Pages
                or HeaderLine.ReadOnly or HeaderLine.Unmapped or HeaderLine.Cpus or HeaderLine.Sva or HeaderLine.Shadow
                or HeaderLine.Reuse or HeaderLine.Environment or HeaderLine.Expect or HeaderLine.Source) continue;
            if (IsHandledDirtyHeader(header)) continue; // §8 (issue 14): SymmetryPlan.Dirty
            why = $"header {header.GetType().Name} is not handled by symmetry reduction";
            return false;
        }
        foreach (var op in program.Ops)
        {
            if (HandledOps.Contains(op.Code) || HandledDirtyOps.Contains(op.Code)) continue;
            why = $"op {op.Code} is not handled by symmetry reduction";
            return false;
        }
        foreach (var d in program.Devices)
            if (d.Flavor is not (DriverFlavor.Exact or DriverFlavor.Amd or DriverFlavor.Intel or DriverFlavor.IntelFixed
                or DriverFlavor.Smmu or DriverFlavor.SmmuFixed or DriverFlavor.SmmuBtm))
            {
                why = $"driver flavor {d.Flavor} is not handled by symmetry reduction";
                return false;
            }
        foreach (var m in program.Shadows)
            if (m is not (ShadowMode.Interval or ShadowMode.NoRetry))
            {
                why = $"shadow mode {m} is not handled by symmetry reduction";
                return false;
            }
        if (program.Arch is not (Arch.X86 or Arch.Arm64))
        {
            why = $"arch {program.Arch} is not handled by symmetry reduction";
            return false;
        }
        var s = new ModelState(program);
        if (s.W.Length != ExpectedWords(s) + DirtyWords(s) || s.I.Length != ExpectedInts(s) + DirtyInts(s)
            || s.C.Length != s.MaxFrames + s.Threads * s.Pages + DirtyContents(s))
        {
            why = "the model state has fields symmetry reduction does not permute";
            return false;
        }
        why = null;
        return true;
    }

    private static int ExpectedWords(ModelState s) => 2 + 2 * s.Cpus + 2 * s.Devices + 2 * s.Shadows + 6 * s.Threads + 2;

    private static int ExpectedInts(ModelState s) =>
        s.Pages * (1 + s.Cpus + s.Devices + s.Shadows + s.Threads) + 4 * s.MaxFrames + 3 + 2 + s.Locks + 5
        + s.Threads * (2 + s.MaxDepth + 5 + s.MaxBatch) + 2 * s.Devices + 5 * s.FaultContexts;

    private static readonly HashSet<OpCode> HandledOps =
    [
        OpCode.MmapReadLock, OpCode.MmapReadUnlock, OpCode.MmapWriteLock, OpCode.MmapWriteUnlock, OpCode.PtlLock,
        OpCode.PtlUnlock, OpCode.Lock, OpCode.Unlock, OpCode.InvalidateRangeStart, OpCode.InvalidateRangeEnd,
        OpCode.InvalidateRangeOnlyEnd, OpCode.InvalidateRange, OpCode.ArchInvalidateSecondaryTlbs, OpCode.ChangePte,
        OpCode.Release, OpCode.PteClear, OpCode.PteWrprotect, OpCode.PteMkwrite, OpCode.PteInstall, OpCode.PteRestore,
        OpCode.PteMove, OpCode.PtepSetAccessFlags, OpCode.CopyPage, OpCode.GetPage, OpCode.PutPage,
        OpCode.FlushTlbRange, OpCode.FlushTlbPage, OpCode.FlushTlbMm, OpCode.PtepClearFlush,
        OpCode.PtepClearFlushNotify, OpCode.IncTlbFlushPending, OpCode.DecTlbFlushPending,
        OpCode.SetTlbUbcFlushPending, OpCode.TryToUnmapFlush, OpCode.FlushTlbBatchedPending, OpCode.TlbGatherMmu,
        OpCode.TlbGatherMmuFullmm, OpCode.ZapPteRange, OpCode.ChangeProtection, OpCode.TlbFlushMmu,
        OpCode.TlbFinishMmu, OpCode.WaitPte, OpCode.Read, OpCode.Write, OpCode.Prefetch, OpCode.Fault, OpCode.Reuse,
    ];

    // ---- pages ----

    /// <summary>
    /// Every mask that tells pages apart: the initial present/writable masks; each op's touched and covered
    /// pages, its condition page and, for every device flavor present, what the driver drops for the op's
    /// (start, end); a pte_move's destination. With the allocator on, the frames an op frees in one step go
    /// to the free queue in page order and the allocator reuses the oldest first; that order tells no pages apart,
    /// because a reuse only turns a free frame into another owner's and nothing in the handled vocabulary reads
    /// the difference (<see cref="StateCanonicalizer"/> hashes both alike).
    /// </summary>
    private static List<ulong> Distinctions(CompiledOrdering program)
    {
        int pages = program.Pages;
        var masks = new List<ulong> { program.InitialPresent, program.InitialWritable };
        var flavors = new HashSet<DriverFlavor>();
        foreach (var d in program.Devices) flavors.Add(d.Flavor);
        foreach (var op in program.Ops)
        {
            masks.Add(op.Pages);
            masks.Add(op.Covered);
            masks.Add(OrderingCompiler.Touched(op.Start, op.End, pages));
            if (op.ConditionPage >= 0 && op.ConditionPage < pages) masks.Add(1UL << op.ConditionPage);
            if (op.Code is OpCode.FlushTlbPage or OpCode.ChangePte or OpCode.PtepSetAccessFlags or OpCode.WaitPte or OpCode.Read
                    or OpCode.Write or OpCode.Prefetch or OpCode.Fault && op.Arg >= 0 && op.Arg < pages)
                masks.Add(1UL << op.Arg);
            foreach (var f in flavors) masks.Add(DriverArithmetic.Dropped(f, op.Start, op.End, pages));
            if (op.Code == OpCode.PteMove) masks.Add(Shift(op.Pages, op.Arg) & program.AllPages);
            if (op.OrConditionPage >= 0 && op.OrConditionPage < pages) masks.Add(1UL << op.OrConditionPage);
        }
        AddDirtyDistinctions(program, masks); // §8 (issue 14): SymmetryPlan.Dirty
        return masks;
    }

    /// <summary>
    /// A nested <c>tlb_finish_mmu START END</c> (4.13-5.1, Machine.Kernel TlbFinishMmu) widens the gather to
    /// (min(gather start, START), max(gather end, END)). With page-aligned bounds that is a hull of whole classes;
    /// with <c>0 ~0</c> (exit_mmap's and clear_refs' <c>tlb_finish_mmu(&amp;tlb, 0, -1)</c>) it is (0, ~0) whatever the
    /// gather held: the op's own range, whose driver arithmetic <see cref="Distinctions"/> already splits classes
    /// by. Any other byte-granular range leaves the pages unreduced.
    /// </summary>
    private static bool WidensToItself(in Op op) =>
        ((op.Start | op.End) & (Bound.PageSize - 1)) == 0 || (op.Start == 0 && op.End == ulong.MaxValue);

    private static ulong Shift(ulong mask, int by) => by >= 0 ? mask << by : mask >> -by;

    private static PageClass[] PageClassesOf(CompiledOrdering program)
    {
        int pages = program.Pages;
        var masks = Distinctions(program);
        // maximal runs of consecutive pages with the same signature
        var run = new int[pages];
        for (int p = 1; p < pages; p++)
        {
            bool same = true;
            foreach (ulong m in masks)
                if ((m >> p & 1) != (m >> (p - 1) & 1)) { same = false; break; }
            run[p] = same ? run[p - 1] : run[p - 1] + 1;
        }
        // units: pages pte_move pairs
        var parent = new int[pages];
        for (int p = 0; p < pages; p++) parent[p] = p;
        int Find(int x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        foreach (var op in program.Ops)
        {
            if (op.Code != OpCode.PteMove) continue;
            for (ulong m = op.Pages; m != 0; m &= m - 1)
            {
                int p = System.Numerics.BitOperations.TrailingZeroCount(m), d = p + op.Arg;
                if (d >= 0 && d < pages) parent[Find(p)] = Find(d);
            }
        }
        var units = new Dictionary<int, List<int>>();
        for (int p = 0; p < pages; p++)
        {
            int root = Find(p);
            if (!units.TryGetValue(root, out var list)) units[root] = list = [];
            list.Add(p);
        }
        // units of the same shape (each component's run, offsets from the first page) form a class
        var classes = new Dictionary<string, List<List<int>>>();
        var order = new List<string>();
        foreach (var unit in units.Values.OrderBy(u => u[0]))
        {
            var shape = string.Join(",", unit.Select(p => $"{run[p]}:{p - unit[0]}"));
            if (!classes.TryGetValue(shape, out var list)) { classes[shape] = list = []; order.Add(shape); }
            list.Add(unit);
        }
        var result = new List<PageClass>();
        foreach (var op in program.Ops)
            if (op.Code == OpCode.TlbFinishMmu && op.HasRange && !WidensToItself(op))
                return []; // a byte-granular range can widen a gather past a class boundary
        foreach (var shape in order)
        {
            var list = classes[shape];
            if (list.Count < 2) continue;
            int width = list[0].Count;
            bool contiguous = true; // each component's pages must be a run, so gather hulls never split a class
            for (int k = 0; k < width; k++)
                for (int u = 1; u < list.Count; u++) contiguous &= list[u][k] == list[u - 1][k] + 1;
            if (!contiguous) continue;
            result.Add(new PageClass(list.Count, width, list.SelectMany(u => u).ToArray()));
        }
        return result.ToArray();
    }

    // ---- CPUs, devices, shadows ----

    private static bool[] NamedUnits(CompiledOrdering program, ThreadKind kind, int count)
    {
        var named = new bool[count];
        foreach (var t in program.Threads)
            if (t.Kind == kind && t.Unit >= 0 && t.Unit < count) named[t.Unit] = true;
        return named;
    }

    private static int[][] CpuClassesOf(CompiledOrdering program)
    {
        var named = NamedUnits(program, ThreadKind.Cpu, program.Cpus);
        var free = Enumerable.Range(0, program.Cpus).Where(c => !named[c]).ToArray();
        return free.Length >= 2 ? [free] : [];
    }

    private static int[][] DeviceClassesOf(CompiledOrdering program)
    {
        var named = NamedUnits(program, ThreadKind.Device, program.Devices.Length);
        return Enumerable.Range(0, program.Devices.Length).Where(d => !named[d])
            .GroupBy(d => program.Devices[d]).Select(g => g.ToArray()).Where(g => g.Length >= 2).ToArray();
    }

    private static int[][] ShadowClassesOf(CompiledOrdering program)
    {
        var named = NamedUnits(program, ThreadKind.Shadow, program.Shadows.Length);
        return Enumerable.Range(0, program.Shadows.Length).Where(s => !named[s])
            .GroupBy(s => program.Shadows[s]).Select(g => g.ToArray()).Where(g => g.Length >= 2).ToArray();
    }

    /// <summary>The reduced classes in words, e.g. "pages 0-31 paired with 32-63 (32 units)", "cpus 0-1".</summary>
    public IReadOnlyList<string> Describe()
    {
        var lines = new List<string>();
        if (DisabledBecause is not null) return lines;
        foreach (var c in PageClasses)
        {
            var comps = new List<string>();
            for (int k = 0; k < c.Width; k++)
            {
                var ps = Enumerable.Range(0, c.Units).Select(u => c.UnitPages[u * c.Width + k]).ToArray();
                comps.Add(Span(ps));
            }
            lines.Add(c.Width == 1 ? $"pages {comps[0]}" : $"pages {string.Join(" paired with ", comps)} ({c.Units} units)");
        }
        foreach (var c in CpuClasses) lines.Add($"cpus {Span(c)}");
        foreach (var c in DeviceClasses) lines.Add($"devices {Span(c)}");
        foreach (var c in ShadowClasses) lines.Add($"shadows {Span(c)}");
        return lines;
    }

    private static string Span(int[] xs)
    {
        bool contiguous = true;
        for (int k = 1; k < xs.Length; k++) contiguous &= xs[k] == xs[k - 1] + 1;
        return contiguous ? $"{xs[0]}-{xs[^1]}" : string.Join(",", xs);
    }
}
