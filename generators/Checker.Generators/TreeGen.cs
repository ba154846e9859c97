using Checker.Language;
using FsCheck;
using FsCheck.Fluent;

namespace Checker.Generators;

/// <summary>
/// §7: FsCheck generators for orderings that turn the page-table tree on — opt-in, beside
/// <see cref="OrderingGen"/>, whose distributions the existing laws keep. A header with <c>pagetables</c>,
/// <c>hugepage 2</c> over 2 or 4 pages (some regions <c>huge</c>), maybe <c>kernel_pages 2</c> and a
/// <c>gup_fast</c> walker (half the time with an explicit <c>thread w gup 0</c> too), x86 or arm64, 1-2 CPUs and 0-1 SVA devices; threads of blocks that stay valid: a
/// gather that zaps, unlinks and batches tables (<c>pmd_clear</c> + <c>pte_free_tlb</c>, <c>free_pgtables</c>,
/// <c>zap_huge_pmd</c>), an unlink and a direct <c>pte_free</c>, the PMD-level ops, the flushes of §7.4.
/// With <paramref name="directFrees"/> false no table is freed outside a gather.
/// </summary>
public static class TreeGen
{
    /// <summary>The text of a valid tree ordering.</summary>
    public static Gen<string> Text(bool directFrees = true, bool gup = true, string? arch = null) =>
        from archWord in arch is null ? Gen.Elements("x86", "arm64") : Gen.Constant(arch)
        from kernel in Gen.Elements("4.18", "4.19", "4.20", "6.0", "6.6", "6.19")
        from regions in Gen.Choose(1, 2)
        from huge in Gen.Elements(false, false, true)
        from kernelPages in Gen.Elements(false, true)
        from walker in gup ? Gen.Elements(false, true) : Gen.Constant(false)
        from cpus in Gen.Choose(1, 2)
        from device in Gen.Elements("", "", "secondary sva exact\n", "secondary sva smmu-btm\n")
        from threadCount in Gen.Choose(1, 2)
        from threads in Gen.ArrayOf(Thread(regions * 2, kernelPages && archWord == "x86" || kernelPages, archWord, directFrees), threadCount)
        from gupThread in walker ? GupThread(regions * 2) : Gen.Constant("") // §7 (issue 12): an explicit GUP-fast walker
        select $"kernel {kernel}\narch {archWord}\npagetables\npages {regions * 2}\nhugepage 2\ncpus {cpus}\n"
            + (huge && regions == 2 ? "huge 2 4\n" : "") + (kernelPages ? "kernel_pages 2\n" : "") + (walker ? "gup_fast\n" : "") + device
            + Threads(threads) + gupThread;

    /// <summary>§7 mm2 (issue 12): a tree ordering (as <see cref="Text"/>) with a second mm: <c>mm2</c>, <c>mm2 cpus K</c>
    /// (K 0–2) or either with <c>shared-pmd</c>; each kernel thread runs on mm 1 half the time, and the <c>gup_fast</c>
    /// line, if any, walks mm 1 half the time. <see cref="Mm2Shape"/> says which of these a text has (for labels).</summary>
    public static Gen<string> Mm2Text(string? arch = null) =>
        from text in Text(directFrees: true, gup: true, arch)
        from shared in Gen.Elements(false, false, true)
        from more in Gen.Choose(0, 2)
        from onMm1 in Gen.ArrayOf(Gen.Elements(false, true), 2)
        from gupMm1 in Gen.Elements(false, true)
        select WithMm2(text, shared, more, onMm1, gupMm1);

    private static string WithMm2(string text, bool shared, int cpus, bool[] onMm1, bool gupMm1)
    {
        string header = "mm2" + (cpus > 0 ? " cpus " + cpus : "") + (shared ? " shared-pmd" : "");
        text = text.Replace("pagetables\n", "pagetables\n" + header + "\n", StringComparison.Ordinal);
        if (gupMm1) text = text.Replace("gup_fast\n", "gup_fast mm 1\n", StringComparison.Ordinal);
        for (int t = 0; t < onMm1.Length; t++)
            if (onMm1[t]) text = text.Replace($"thread t{t}\n", $"thread t{t} mm 1\n", StringComparison.Ordinal);
        return text;
    }

    /// <summary>§7 mm2: what a <see cref="Mm2Text"/> ordering has: shared PMD table, CPUs of mm 1, threads of mm 1.</summary>
    public static (bool Shared, bool Mm1Cpus, bool Mm1Threads) Mm2Shape(string text) =>
        (text.Contains(" shared-pmd", StringComparison.Ordinal), text.Contains("mm2 cpus", StringComparison.Ordinal),
            HasMm1Thread(text));

    private static bool HasMm1Thread(string text) =>
        text.Contains("thread t0 mm 1\n", StringComparison.Ordinal) || text.Contains("thread t1 mm 1\n", StringComparison.Ordinal);

    /// <summary>§7 mm2: a valid <see cref="Mm2Text"/> ordering.</summary>
    public static Gen<Ordering> Mm2Ordering(string? arch = null) =>
        Mm2Text(arch).Select(text =>
        {
            var result = OrderingParser.Parse(text, OrderingGen.FileName);
            if (!result.Ok) throw new InvalidOperationException("TreeGen produced an invalid mm2 ordering:\n" + text + string.Join("\n", result.Diagnostics));
            return result.Ordering!;
        });

    /// <summary>§7 (issue 12): none, or half the time a <c>thread w gup 0</c> with one or two walks.</summary>
    private static Gen<string> GupThread(int pages) =>
        from present in Gen.Elements(false, true)
        from walks in Gen.ArrayOf(Page(pages), 2)
        from count in Gen.Choose(1, 2)
        select present ? "thread w gup 0\n" + string.Concat(walks.Take(count).Select(p => $"  gup_fast {p}\n")) : "";

    /// <summary>A valid tree ordering.</summary>
    public static Gen<Ordering> Ordering(bool directFrees = true, bool gup = true, string? arch = null) =>
        Text(directFrees, gup, arch).Select(text =>
        {
            var result = OrderingParser.Parse(text, OrderingGen.FileName);
            if (!result.Ok) throw new InvalidOperationException("TreeGen produced an invalid ordering:\n" + text + string.Join("\n", result.Diagnostics));
            return result.Ordering!;
        });

    private static string Threads(string[][] threads)
    {
        var text = "";
        for (int t = 0; t < threads.Length; t++)
        {
            text += $"thread t{t}\n";
            foreach (var op in threads[t]) text += "  " + op + "\n";
        }
        return text;
    }

    private static Gen<string[]> Thread(int pages, bool kernel, string arch, bool directFrees) =>
        from count in Gen.Choose(1, 3)
        from blocks in Gen.ArrayOf(Block(pages, kernel, arch, directFrees), count)
        select blocks.SelectMany(b => b).ToArray();

    private static Gen<string> Page(int pages) => Gen.Choose(0, pages - 1).Select(p => p.ToString());

    private static Gen<string[]> Block(int pages, bool kernel, string arch, bool directFrees)
    {
        var blocks = new List<(int, Gen<string[]>)>
        {
            (3, from p in Page(pages)
                from zap in Gen.Elements(true, false)
                from nobatch in Gen.Elements("", "", " nobatch")
                select (string[])["tlb_gather_mmu", .. (zap ? new[] { $"zap_pte_range {p}" } : []), $"pmd_clear {p}", $"pte_free_tlb {p}{nobatch}", "tlb_finish_mmu 0 " + pages]),
            (2, Gen.Elements<string[]>(["tlb_gather_mmu", $"free_pgtables 0 {pages}", "tlb_finish_mmu 0 " + pages],
                ["tlb_gather_mmu", "zap_pte_range 0 " + pages, "free_pgtables 0 2", "tlb_finish_mmu 0 " + pages])),
            (1, from p in Page(pages) select (string[])["tlb_gather_mmu", $"zap_huge_pmd {p}", "tlb_finish_mmu 0 " + pages]),
            (3, from op in Gen.Elements("flush_tlb_range 0 " + pages, "flush_tlb_page 0", "flush_tlb_mm", "pte_clear 0", "ptep_clear_flush 0 1")
                select new[] { op }),
            (2, from p in Page(pages)
                from op in Gen.Elements("pmdp_huge_clear_flush", "pmdp_collapse_flush", "pmdp_invalidate", "split_huge_pmd", "pmdp_huge_get_and_clear", "set_pmd_at")
                select new[] { $"{op} {p}" }),
        };
        if (directFrees)
        {
            blocks.Add((2, from p in Page(pages)
                           from flush in Gen.Elements(true, false)
                           select (string[])[$"pmd_clear {p}", .. (flush ? new[] { "flush_tlb_mm" } : []), $"pte_free {p}"]));
            if (kernel) blocks.Add((2, Gen.Elements<string[]>(["pmd_free_pte_page k0"], ["pmd_clear k1", "pte_free k1"])));
        }
        if (kernel) blocks.Add((1, Gen.Constant<string[]>([arch == "arm64" ? "__flush_tlb_kernel_pgtable k0" : "flush_tlb_kernel_range k0 k2"])));
        return Gen.Frequency(blocks.ToArray());
    }
}
