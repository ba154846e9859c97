using Checker.Language;
using FsCheck;
using FsCheck.Fluent;

namespace Checker.Generators;

/// <summary>
/// §8 dirty data (issue 13): orderings that use dirty data — page-cache (<c>file</c>), lazy-free pages, writeback,
/// MADV_FREE, reclaim's discard, pins, NUMA hinting — with one or two CPUs and sometimes an SVA device. Opt-in:
/// <see cref="OrderingGen"/>'s distributions are unchanged; the §8 laws ask for these.
/// </summary>
public static class DirtyOrderingGen
{
    private static readonly string[] Releases = ["4.12", "5.17", "6.1", "6.2", "6.6"];

    // op lines that need no gather, by page
    private static readonly string[] Plain =
    [
        "pte_clear P", "pte_wrprotect P", "pte_mkclean P", "pte_mkwrite P", "ptep_clear_flush P", "flush_tlb_page P",
        "flush_tlb_mm", "writeback P", "change_prot_numa P", "ptep_set_access_flags P", "pte_restore P", "pte_restore P ro",
        "get_user_pages P", "dma_write P", "set_page_dirty P", "unpin_user_page P", "get_page P", "put_page P",
        "lazyfree_discard P", "copy_page P", "if pte_dirty P flush_tlb_page P", "if unflushed flush_tlb_mm",
        "if pte_none P or pte_dirty P flush_tlb_page P",
    ];

    // a gather block, filled with one to three of these
    private static readonly string[] Gathered = ["zap_pte_range P", "madvise_free P", "tlb_flush_pte_range P", "if force_flush tlb_flush_mmu_tlbonly", "tlb_flush_mmu"];

    private static Gen<string> Line(int pages, string[] lines) =>
        Gen.Elements(lines).SelectMany(l => Gen.Choose(0, pages - 1).Select(p => l.Replace("P", p.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));

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
        from pages in Gen.Choose(1, 3)
        from cpus in Gen.Choose(1, 2)
        from device in Gen.Elements(false, false, true)
        from lazy in Gen.Elements(false, true)
        from threads in Gen.Choose(1, 2).SelectMany(n => Gen.ListOf(Thread(pages), n))
        select Compose(release, pages, cpus, device, lazy, threads.ToList());

    private static string Compose(string release, int pages, int cpus, bool device, bool lazy, List<List<string>> threads)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("kernel ").Append(release).Append('\n');
        sb.Append("pages ").Append(pages).Append("\ncpus ").Append(cpus).Append('\n');
        if (device) sb.Append("secondary sva exact\n");
        sb.Append("file 0 1\n");
        if (lazy && pages > 1) sb.Append("lazyfree 1 ").Append(pages).Append('\n');
        for (int t = 0; t < threads.Count; t++)
        {
            sb.Append("thread t").Append(t).Append('\n');
            foreach (var line in threads[t]) sb.Append("  ").Append(line).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Generated orderings that parse (those a release refuses, e.g. tlb_flush_mmu_tlbonly before 3.15, are
    /// skipped).</summary>
    public static Gen<Ordering> Ordering() =>
        Text().Select(text => OrderingParser.Parse(text, "dirty.order")).Where(r => r.Ok).Select(r => r.Ordering!);

    /// <summary>As <see cref="Ordering()"/>, printed by FsCheck as the ordering's text.</summary>
    public static Arbitrary<Ordering> Arbitrary() => Arb.From(Ordering());
}
