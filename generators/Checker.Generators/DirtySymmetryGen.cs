using System.Globalization;
using Checker.Language;
using FsCheck;
using FsCheck.Fluent;

namespace Checker.Generators;

/// <summary>
/// Issue 14, symmetry over §8 dirty data: orderings of two to six pages that use dirty data over page ranges, so
/// that pages fall into classes symmetry reduction permutes — a <c>file</c> range (page-cache frames), sometimes a
/// <c>lazyfree</c> range and an <c>alias Q P</c> of a file page, one or two CPUs, sometimes an SVA device; threads of
/// range ops (<c>pte_mkclean</c>, <c>change_prot_numa</c>, <c>zap_pte_range</c> in a gather, <c>madvise_free</c>…)
/// and page ops (<c>writeback</c>, pins, <c>lazyfree_discard</c>). Shrinks with <see cref="OrderingShrinker"/>.
/// </summary>
public static class DirtySymmetryGen
{
    private static readonly string[] Releases = ["4.12", "5.17", "6.1", "6.2", "6.6"];

    // lines without a gather: R is a range "A B", P a page
    private static readonly string[] Plain =
    [
        "pte_clear R", "pte_wrprotect R", "pte_mkclean R", "change_prot_numa R", "flush_tlb_range R", "pte_restore R",
        "pte_restore R ro", "writeback P", "get_user_pages P", "dma_write P", "set_page_dirty P", "unpin_user_page P",
        "lazyfree_discard P", "ptep_clear_flush P", "put_page R", "if pte_dirty P flush_tlb_range R",
        "if unflushed flush_tlb_range R", "set_tlb_flush_pending", "clear_tlb_flush_pending", "inc_tlb_flush_pending",
        "dec_tlb_flush_pending",
    ];

    // lines inside a gather
    private static readonly string[] Gathered =
    [
        "zap_pte_range R", "madvise_free R", "tlb_flush_pte_range R", "if force_flush tlb_flush_mmu_tlbonly",
        "tlb_flush_rmaps", "tlb_flush_mmu", "change_prot_numa R",
    ];

    private static Gen<string> Range(int pages) =>
        Gen.Frequency(
            (3, Gen.Constant($"0 {pages}")),
            (3, Gen.Choose(0, pages - 1).SelectMany(a => Gen.Choose(a + 1, pages).Select(b => $"{a} {b}"))),
            (1, Gen.Choose(0, pages - 1).Select(a => $"{a} {a + 1}")));

    private static Gen<string> Line(int pages, string[] lines) =>
        from line in Gen.Elements(lines)
        from range in Range(pages)
        from page in Gen.Choose(0, pages - 1)
        select line.Replace("R", range, StringComparison.Ordinal)
            .Replace(" P", " " + page.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static Gen<List<string>> Thread(int pages) =>
        Gen.Frequency(
            (3, Gen.Choose(1, 4).SelectMany(n => Gen.ListOf(Line(pages, Plain), n)).Select(l => l.ToList())),
            (2, Gen.Choose(1, 3).SelectMany(n => Gen.ListOf(Line(pages, Gathered), n)).Select(l =>
            {
                var list = new List<string> { "tlb_gather_mmu", "ptl_lock" };
                list.AddRange(l);
                list.Add("ptl_unlock");
                list.Add("tlb_finish_mmu");
                return list;
            })));

    /// <summary>The text of a generated ordering.</summary>
    public static Gen<string> Text() =>
        from release in Gen.Elements(Releases)
        from pages in Gen.Choose(2, 6)
        from cpus in Gen.Choose(1, 2)
        from device in Gen.Elements("", "", "secondary sva exact\n", "secondary sva amd\n")
        from fileEnd in Gen.Choose(1, pages)
        from lazy in Gen.Elements(false, true)
        from alias in Gen.Elements(false, false, true)
        from aliasTarget in Gen.Choose(0, fileEnd - 1)
        from threads in Gen.Choose(1, 2).SelectMany(n => Gen.ListOf(Thread(pages), n))
        select Compose(release, pages, cpus, device, fileEnd, lazy, alias, aliasTarget, threads.ToList());

    private static string Compose(string release, int pages, int cpus, string device, int fileEnd, bool lazy, bool alias,
        int aliasTarget, List<List<string>> threads)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("kernel ").Append(release).Append('\n');
        sb.Append("pages ").Append(pages).Append("\ncpus ").Append(cpus).Append('\n');
        sb.Append(device);
        sb.Append("file 0 ").Append(fileEnd).Append('\n');
        // the anonymous pages after the file range: lazy-free, or the alias's page (the last one)
        if (alias && fileEnd < pages) sb.Append("alias ").Append(pages - 1).Append(' ').Append(aliasTarget).Append('\n');
        int lazyEnd = alias && fileEnd < pages ? pages - 1 : pages;
        if (lazy && fileEnd < lazyEnd) sb.Append("lazyfree ").Append(fileEnd).Append(' ').Append(lazyEnd).Append('\n');
        for (int t = 0; t < threads.Count; t++)
        {
            sb.Append("thread t").Append(t).Append('\n');
            foreach (var line in threads[t]) sb.Append("  ").Append(line).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Generated orderings that parse (lines a release refuses are skipped with their ordering).</summary>
    public static Gen<Ordering> Ordering() =>
        Text().Select(text => OrderingParser.Parse(text, "dirty-symmetry.order")).Where(r => r.Ok).Select(r => r.Ordering!);

    /// <summary>As <see cref="Ordering()"/>, shrunk by <see cref="OrderingShrinker"/> and printed as the ordering's text.</summary>
    public static Arbitrary<Ordering> Arbitrary() => Arb.From(Ordering(), OrderingShrinker.Shrink);
}
