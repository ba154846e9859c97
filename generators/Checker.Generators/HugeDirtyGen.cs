using Checker.Language;
using FsCheck;
using FsCheck.Fluent;

namespace Checker.Generators;

/// <summary>
/// Issue 12 (THP split): orderings with a lazy-free huge page — <c>hugepage 2</c> over 2 or 4 pages, region 0 (or
/// every region) <c>huge</c> and <c>lazyfree</c>, before and after the 4.16 and 6.2 changes to the split (4.15, 4.16, 6.1, 6.6),
/// x86 or arm64, 1-2 CPUs, maybe an SVA device; threads of the PMD ops that take the huge entry away or split it,
/// and reclaim's clear + <c>lazyfree_discard</c> on the split PTEs. Opt-in, beside <see cref="TreeGen"/>.
/// </summary>
public static class HugeDirtyGen
{
    /// <summary>The text of a valid ordering with a lazy-free huge page.</summary>
    public static Gen<string> Text() =>
        from arch in Gen.Elements("x86", "arm64")
        from kernel in Gen.Elements("4.15", "4.16", "6.1", "6.6")
        from regions in Gen.Choose(1, 2)
        from all in Gen.Elements(false, true)
        from cpus in Gen.Choose(1, 2)
        from device in Gen.Elements("", "", "secondary sva exact\n")
        from threadCount in Gen.Choose(1, 2)
        from threads in Gen.ArrayOf(Thread(regions * 2, all ? regions * 2 : 2), threadCount)
        let huge = all ? $"0 {regions * 2}" : "0 2"
        select $"kernel {kernel}\narch {arch}\npages {regions * 2}\nhugepage 2\nhuge {huge}\nlazyfree {huge}\ncpus {cpus}\n" + device
            + string.Concat(threads.Select((ops, t) => $"thread t{t}\n" + string.Concat(ops.Select(op => "  " + op + "\n"))));

    /// <summary>A valid ordering with a lazy-free huge page.</summary>
    public static Gen<Ordering> Ordering() =>
        Text().Select(text =>
        {
            var result = OrderingParser.Parse(text, OrderingGen.FileName);
            if (!result.Ok) throw new InvalidOperationException("HugeDirtyGen produced an invalid ordering:\n" + text + string.Join("\n", result.Diagnostics));
            return result.Ordering!;
        });

    /// <summary>The arbitrary the laws use.</summary>
    public static Arbitrary<Ordering> Arbitrary() => Arb.From(Ordering());

    private static Gen<string[]> Thread(int pages, int hugePages) =>
        from count in Gen.Choose(1, 3)
        from blocks in Gen.ArrayOf(Block(pages, hugePages), count)
        select blocks.SelectMany(b => b).ToArray();

    private static Gen<string[]> Block(int pages, int hugePages)
    {
        var page = Gen.Choose(0, hugePages - 1);
        return Gen.Frequency(
            (4, page.Select(p => new[] { $"split_huge_pmd {p}" })),
            (2, from p in page
                from op in Gen.Elements("pmdp_invalidate", "pmdp_huge_clear_flush", "pmdp_huge_get_and_clear")
                select new[] { $"{op} {p}" }),
            (3, from p in page
                from clear in Gen.Elements("ptep_clear_flush", "pte_clear")
                select new[] { $"{clear} {p}", $"lazyfree_discard {p}" }),
            (1, page.Select(p => new[] { "tlb_gather_mmu", $"zap_huge_pmd {p}", $"tlb_finish_mmu 0 {pages}" })));
    }
}
