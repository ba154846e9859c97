using Checker.Language;
using FsCheck;
using FsCheck.Fluent;

namespace Checker.Generators;

/// <summary>
/// FsCheck generators for whole orderings, valid by construction: a random header (profile, arch, pages,
/// CPUs, secondaries with random flavors) and one to three kernel threads built from blocks that pair up —
/// locks taken and released, notifier start/end (only_end in 6.0), gathers started and finished (with their
/// range in 4.14) — around ops the profile has, over ranges in the page set (now and then a strange one:
/// <c>~0 ~0</c>, <c>0 ~0</c>, hex), sometimes behind an <c>if</c>. Used by the model-law, determinism,
/// shrinking and parser-robustness properties.
/// </summary>
public static class OrderingGen
{
    private static readonly string[] Flavors = ["exact", "amd", "intel", "intel-fixed", "smmu", "smmu-fixed", "smmu-btm"];

    /// <summary>The text of a valid ordering.</summary>
    public static Gen<string> Text() =>
        from kernel in Gen.Elements("4.14", "6.0", "6.6")
        from arch in Gen.Elements("x86", "arm64")
        from pages in Gen.Choose(1, 4)
        from cpus in Gen.Choose(0, 2)
        from devices in Gen.Choose(0, 2)
        from flavors in Gen.ArrayOf(Gen.Elements(Flavors), 2)
        from keeps in Gen.ArrayOf(Gen.Elements(false, false, true), 2)
        from shadow in Gen.Elements("", "", "secondary shadow\n", "secondary shadow no-retry\n")
        from readOnly in Gen.Elements(false, false, true)
        from reuse in Gen.Elements("", "reuse off\n")
        from threadCount in Gen.Choose(1, 3)
        from threads in Gen.ArrayOf(Thread(kernel, pages), threadCount)
        select Header(kernel, arch, pages, cpus, devices, flavors, keeps, shadow, readOnly, reuse) + Threads(threads);

    /// <summary>A valid ordering (parsed from <see cref="Text"/>).</summary>
    public static Gen<Ordering> Ordering() => Text().Select(text =>
    {
        var result = OrderingParser.Parse(text, "generated.order");
        if (!result.Ok) throw new InvalidOperationException("OrderingGen produced an invalid ordering:\n" + text + string.Join("\n", result.Diagnostics));
        return result.Ordering!;
    });

    public static Arbitrary<Ordering> Arbitrary() => Arb.From(Ordering());

    private static string Header(string kernel, string arch, int pages, int cpus, int devices, string[] flavors, bool[] keeps,
        string shadow, bool readOnly, string reuse)
    {
        var text = $"kernel {kernel}\narch {arch}\npages {pages}\ncpus {cpus}\n";
        for (int d = 0; d < devices; d++) text += $"secondary sva {flavors[d]}{(keeps[d] ? " keeps-entry-on-fault" : "")}\n";
        text += shadow;
        if (readOnly) text += "readonly 0\n";
        return text + reuse;
    }

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

    private static Gen<string[]> Thread(string kernel, int pages) =>
        from count in Gen.Choose(1, 4)
        from blocks in Gen.ArrayOf(Block(kernel, pages), count)
        select Flatten(blocks);

    private static string[] Flatten(string[][] blocks)
    {
        var all = new List<string>();
        foreach (var b in blocks) all.AddRange(b);
        return [.. all];
    }

    private static Gen<string[]> Block(string kernel, int pages) => Gen.Frequency(
        (4, Op(kernel, pages).Select(op => new[] { op })),
        (2, from body in Gen.ArrayOf(Op(kernel, pages), 2) select (string[])["ptl_lock", .. body, "ptl_unlock"]),
        (2, from r in Range(pages)
            from body in Gen.ArrayOf(Op(kernel, pages), 2)
            from onlyEnd in Gen.Elements(false, kernel == "6.0")
            select (string[])[$"invalidate_range_start {r}", .. body, $"{(onlyEnd ? "invalidate_range_only_end" : "invalidate_range_end")} {r}"]),
        (2, from full in Gen.Elements(false, false, true)
            from r in Range(pages)
            from flushEarly in Gen.Elements(false, true)
            select (string[])[full ? "tlb_gather_mmu_fullmm" : "tlb_gather_mmu", $"zap_pte_range {r}",
                .. (flushEarly ? new[] { "tlb_flush_mmu" } : []), kernel == "4.14" ? $"tlb_finish_mmu {r}" : "tlb_finish_mmu"]),
        (1, from write in Gen.Elements(false, true)
            from body in Gen.ArrayOf(Op(kernel, pages), 1)
            select (string[])[write ? "mmap_write_lock" : "mmap_read_lock", .. body, write ? "mmap_write_unlock" : "mmap_read_unlock"]));

    private static Gen<string> Op(string kernel, int pages)
    {
        var ops = new List<(int, Gen<string>)>
        {
            (3, Range(pages).Select(r => "pte_clear " + r)),
            (2, Range(pages).Select(r => "pte_wrprotect " + r)),
            (1, Range(pages).Select(r => "pte_mkwrite " + r)),
            (1, from r in Range(pages) from ro in Gen.Elements("", " ro") select "pte_install " + r + ro),
            (1, Range(pages).Select(r => "pte_restore " + r)),
            (1, Range(pages).Select(r => "copy_page " + r)),
            (1, Range(pages).Select(r => "get_page " + r)),
            (2, Range(pages).Select(r => "put_page " + r)),
            (2, Range(pages).Select(r => "flush_tlb_range " + r)),
            (1, Page(pages).Select(p => "flush_tlb_page " + p)),
            (1, Gen.Constant("flush_tlb_mm")),
            (2, Range(pages).Select(r => "ptep_clear_flush " + r)),
            (2, Range(pages).Select(r => "invalidate_range " + r)),
            (1, Range(pages).Select(r => "set_tlb_ubc_flush_pending " + r)),
            (1, Gen.Constant("try_to_unmap_flush")),
            (1, Gen.Constant("flush_tlb_batched_pending")),
            (1, from r in Range(pages) from p in Gen.Elements("ro", "rw") select $"change_protection {r} {p}"),
            (1, Page(pages).Select(p => "ptep_set_access_flags " + p)),
            (1, Page(pages).Select(p => "change_pte " + p)),
            (1, Gen.Elements("inc_tlb_flush_pending", "dec_tlb_flush_pending", "release")),
            (1, from c in Gen.Elements("tlb_flush_pending", "!tlb_flush_nested", "tlb_flush_batched")
                from r in Range(pages)
                select $"if {c} flush_tlb_range {r}"),
            (1, from p in Page(pages)
                from c in Gen.Elements("pte_present", "!pte_none", "pte_writable")
                select $"if {c} {p} pte_wrprotect {p}"),
        };
        if (kernel != "6.6") ops.Add((1, Range(pages).Select(r => "ptep_clear_flush_notify " + r)));
        return Gen.Frequency(ops);
    }

    private static Gen<string> Page(int pages) => Gen.Choose(0, pages - 1).Select(p => p.ToString());

    private static Gen<string> Range(int pages) => Gen.Frequency(
        (6, from a in Gen.Choose(0, pages - 1)
            from b in Gen.Choose(a + 1, pages)
            select $"{a} {b}"),
        (3, Page(pages)),
        (1, Gen.Elements("~0 ~0", "0 ~0", "0x1000 0x1800", "0 0")));
}
