using Checker.Language;
using Checker.Vocabulary;
using FsCheck;
using FsCheck.Fluent;

namespace Checker.Generators;

/// <summary>
/// FsCheck generators for whole orderings, valid by construction: a random header (profile, arch, pages,
/// CPUs, secondaries with random flavors) and one to three kernel threads built from blocks that pair up —
/// locks taken and released, notifier start/end (only_end in 6.0), gathers started and finished (with their
/// range in 4.14) — around ops the profile has, over ranges in the page set (now and then a strange one:
/// <c>~0 ~0</c>, <c>0 ~0</c>, hex), sometimes behind an <c>if</c>. An <see cref="OrderingShape"/> asks for
/// CPUs, devices, no secondaries, fewer threads or some ops more often; <see cref="Arbitrary(OrderingShape)"/>
/// shrinks with <see cref="OrderingShrinker"/>. Used by the model laws (Laws/), determinism, shrinking and
/// parser-robustness properties.
/// </summary>
public static class OrderingGen
{
    private static readonly string[] Flavors = ["exact", "amd", "intel", "intel-fixed", "smmu", "smmu-fixed", "smmu-btm"];

    /// <summary>
    /// The kernel releases the generators pick from, as the language writes them: both sides of every boundary of
    /// the release table (DESIGN §3.7), the oldest and newest releases modelled, and the era names 4.14, 6.0, 6.6.
    /// </summary>
    public static Gen<string> KernelWord() => Gen.Elements(Releases);

    private static readonly string[] Releases = BuildReleases();

    private static string[] BuildReleases()
    {
        var releases = new SortedSet<KernelRelease> { KernelRelease.Oldest, KernelRelease.NewestKnown, new(4, 14), new(6, 0), new(6, 6) };
        foreach (var row in ReleaseRuleInfo.All)
        {
            foreach (var boundary in new[] { row.From, row.Until ?? row.From })
            {
                releases.Add(boundary);
                if (boundary != KernelRelease.Oldest) releases.Add(boundary.Previous);
            }
        }
        var words = new List<string>();
        foreach (var r in releases) words.Add(r.ToString());
        return [.. words];
    }

    // What the generated ops need to know of a release: they ask the release table, as the validator does.
    private static RuleSet Rules(string kernel) =>
        KernelRelease.TryParse(kernel, out var release, out _) ? RuleSet.For(release) : throw new ArgumentException(kernel);

    private static bool Has(string kernel, string op) => OpInfo.TryGet(op, out var info) && info.AvailableIn(Rules(kernel));

    private static bool HasCondition(string kernel, string condition) =>
        Words.TryCondition(condition.TrimStart('!'), out var kind) && (Condition.Requires(kind) is not { } rule || Rules(kernel).Has(rule));

    private static bool FinishTakesRange(string kernel) => Rules(kernel).Has(ReleaseRule.NestedFinishWidensByRange);

    /// <summary>The text of a valid ordering.</summary>
    public static Gen<string> Text() => Text(OrderingShape.Any);

    /// <summary>The text of a valid ordering of the given shape (at least so many CPUs and devices, or none).</summary>
    public static Gen<string> Text(OrderingShape shape) =>
        from kernel in KernelWord()
        from arch in Gen.Elements("x86", "arm64")
        from pages in Gen.Choose(1, 4)
        from cpus in Gen.Choose(shape.MinCpus, Math.Max(shape.MinCpus, 2))
        from devices in Gen.Choose(shape.NoSecondaries ? 0 : shape.MinDevices, shape.NoSecondaries ? 0 : Math.Max(shape.MinDevices, 2))
        from flavors in Gen.ArrayOf(Gen.Elements(Flavors), 2)
        from keeps in Gen.ArrayOf(Gen.Elements(false, false, true), 2)
        from shadow in shape.NoSecondaries ? Gen.Constant("") : Gen.Elements("", "", "secondary shadow\n", "secondary shadow no-retry\n")
        from readOnly in Gen.Elements(false, false, true)
        from reuse in shape.AlwaysReuse ? Gen.Constant("") : Gen.Elements("", "reuse off\n")
        from threadCount in Gen.Choose(1, Math.Max(1, shape.MaxThreads))
        from threads in Gen.ArrayOf(Thread(kernel, pages, shape), threadCount)
        select Header(kernel, arch, pages, cpus, devices, flavors, keeps, shadow, readOnly, reuse) + Threads(threads);

    /// <summary>A valid ordering (parsed from <see cref="Text()"/>).</summary>
    public static Gen<Ordering> Ordering() => Ordering(OrderingShape.Any);

    public static Gen<Ordering> Ordering(OrderingShape shape) => Text(shape).Select(text =>
    {
        var result = OrderingParser.Parse(text, FileName);
        if (!result.Ok) throw new InvalidOperationException("OrderingGen produced an invalid ordering:\n" + text + string.Join("\n", result.Diagnostics));
        return result.Ordering!;
    });

    /// <summary>Generated orderings that shrink (<see cref="OrderingShrinker"/>) to a small ordering of the same shape.</summary>
    public static Arbitrary<Ordering> Arbitrary() => Arbitrary(OrderingShape.Any);

    public static Arbitrary<Ordering> Arbitrary(OrderingShape shape) =>
        Arb.From(Ordering(shape), o => OrderingShrinker.Shrink(o, shape));

    /// <summary>The file name generated orderings are parsed under (their default name is "generated").</summary>
    public const string FileName = "generated.order";

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

    private static Gen<string[]> Thread(string kernel, int pages, OrderingShape shape) =>
        from count in Gen.Choose(1, 4)
        from blocks in Gen.ArrayOf(Block(kernel, pages, shape), count)
        select Flatten(blocks);

    private static string[] Flatten(string[][] blocks)
    {
        var all = new List<string>();
        foreach (var b in blocks) all.AddRange(b);
        return [.. all];
    }

    private static Gen<string[]> Block(string kernel, int pages, OrderingShape shape) => Gen.Frequency(
        (4, Op(kernel, pages, shape).Select(op => new[] { op })),
        (2, from body in Gen.ArrayOf(Op(kernel, pages, shape), 2) select (string[])["ptl_lock", .. body, "ptl_unlock"]),
        (2, from r in Range(pages)
            from body in Gen.ArrayOf(Op(kernel, pages, shape), 2)
            from onlyEnd in Gen.Elements(false, Has(kernel, "invalidate_range_only_end"))
            select (string[])[$"invalidate_range_start {r}", .. body, $"{(onlyEnd ? "invalidate_range_only_end" : "invalidate_range_end")} {r}"]),
        (2, from full in Gen.Elements(false, false, true)
            from r in Range(pages)
            from flushEarly in Gen.Elements(false, true)
            select (string[])[full ? "tlb_gather_mmu_fullmm" : "tlb_gather_mmu", $"zap_pte_range {r}",
                .. (flushEarly ? new[] { "tlb_flush_mmu" } : []), FinishTakesRange(kernel) ? $"tlb_finish_mmu {r}" : "tlb_finish_mmu"]),
        (1, from write in Gen.Elements(false, true)
            from body in Gen.ArrayOf(Op(kernel, pages, shape), 1)
            select (string[])[write ? "mmap_write_lock" : "mmap_read_lock", .. body, write ? "mmap_write_unlock" : "mmap_read_unlock"]));

    private static Gen<string> Op(string kernel, int pages, OrderingShape shape)
    {
        var ops = new List<(string Name, int Weight, Gen<string> Gen)>
        {
            ("pte_clear", 3, Range(pages).Select(r => "pte_clear " + r)),
            ("pte_wrprotect", 2, Range(pages).Select(r => "pte_wrprotect " + r)),
            ("pte_mkwrite", 1, Range(pages).Select(r => "pte_mkwrite " + r)),
            ("pte_install", 1, from r in Range(pages) from ro in Gen.Elements("", " ro") select "pte_install " + r + ro),
            ("pte_restore", 1, Range(pages).Select(r => "pte_restore " + r)),
            ("copy_page", 1, Range(pages).Select(r => "copy_page " + r)),
            ("get_page", 1, Range(pages).Select(r => "get_page " + r)),
            ("put_page", 2, Range(pages).Select(r => "put_page " + r)),
            ("flush_tlb_range", 2, Range(pages).Select(r => "flush_tlb_range " + r)),
            ("flush_tlb_page", 1, Page(pages).Select(p => "flush_tlb_page " + p)),
            ("flush_tlb_mm", 1, Gen.Constant("flush_tlb_mm")),
            ("ptep_clear_flush", 2, Range(pages).Select(r => "ptep_clear_flush " + r)),
            ("invalidate_range", 2, Range(pages).Select(r => "invalidate_range " + r)),
            ("set_tlb_ubc_flush_pending", 1, Range(pages).Select(r => "set_tlb_ubc_flush_pending " + r)),
            ("try_to_unmap_flush", 1, Gen.Constant("try_to_unmap_flush")),
            ("flush_tlb_batched_pending", 1, Gen.Constant("flush_tlb_batched_pending")),
            ("change_protection", 1, from r in Range(pages) from p in Gen.Elements("ro", "rw") select $"change_protection {r} {p}"),
            ("ptep_set_access_flags", 1, Page(pages).Select(p => "ptep_set_access_flags " + p)),
            ("change_pte", 1, Page(pages).Select(p => "change_pte " + p)),
            ("inc_tlb_flush_pending", 1, Gen.Constant("inc_tlb_flush_pending")),
            ("dec_tlb_flush_pending", 1, Gen.Constant("dec_tlb_flush_pending")),
            ("release", 1, Gen.Constant("release")),
            ("ptep_clear_flush_notify", 1, Range(pages).Select(r => "ptep_clear_flush_notify " + r)),
            ("if", 1, from p in Page(pages)
                from c in Gen.Elements("pte_present", "!pte_none", "pte_writable")
                select $"if {c} {p} pte_wrprotect {p}"),
        };
        var conditions = new List<string>();
        foreach (var c in new[] { "tlb_flush_pending", "!tlb_flush_nested", "tlb_flush_batched" })
            if (HasCondition(kernel, c)) conditions.Add(c);
        if (conditions.Count > 0)
            ops.Add(("if", 1, from c in Gen.Elements(conditions.ToArray()) from r in Range(pages) select $"if {c} flush_tlb_range {r}"));
        var weighted = new List<(int, Gen<string>)>();
        foreach (var (name, weight, gen) in ops)
            if (name == "if" || Has(kernel, name)) weighted.Add((shape.Emphasis.Contains(name) ? weight * 8 : weight, gen));
        return Gen.Frequency(weighted);
    }

    private static Gen<string> Page(int pages) => Gen.Choose(0, pages - 1).Select(p => p.ToString());

    private static Gen<string> Range(int pages) => Gen.Frequency(
        (6, from a in Gen.Choose(0, pages - 1)
            from b in Gen.Choose(a + 1, pages)
            select $"{a} {b}"),
        (3, Page(pages)),
        (1, Gen.Elements("~0 ~0", "0 ~0", "0x1000 0x1800", "0 0")));
}
