using Checker.Extract;
using Xunit;

namespace Checker.Properties.Extract;

/// <summary>
/// checker extract on real kernel trees (issue 17), behind a flag: set CHECKER_KERNEL_SRC to a directory holding
/// linux-6.1/ and linux-6.12/ (Debian's linux-source-*, unpacked) and config-6.1-amd64 / config-6.12-amd64
/// (linux-config-*). Off by default (without it these tests return at once); .ci/run runs them with
/// CHECKER_CI_KERNEL=1. Measures, per path, the longest common subsequence of op names between the draft's
/// thread and the catalog twin's root thread.
/// </summary>
public class KernelExtractTests
{
    /// <summary>The rare paths every draft leaves out (huge pages, userfaultfd, hwpoison, KSM, mlock, device pages).</summary>
    public const string Skip = "huge|uffd|hugetlb|need_rmap_locks|HWPoison|hwpoison|ksm|device_private|device_exclusive|anon_vma_fork|vma_dup_policy|i_mmap|mlock|VM_LOCKED";

    /// <summary>Per path, what else is left out: mremap's PMD/PUD-level moves; fork's PFN-map tracking, the upper
    /// levels' locks and allocation, the preallocated-copy and exclusive-entry paths.</summary>
    public static string SkipFor(string root) => root switch
    {
        "move_page_tables" => Skip + "|pmd|pud",
        "dup_mmap" => Skip + "|pfn|pud_lock|pmd_lock|pmd_alloc|prealloc|kfree|exclusive",
        _ => Skip,
    };

    internal static Draft? Extract(string release, string root, string? through)
    {
        var dir = Environment.GetEnvironmentVariable("CHECKER_KERNEL_SRC");
        if (string.IsNullOrEmpty(dir)) return null; // the flag is off
        var src = Path.Combine(dir, $"linux-{release}");
        var index = SourceIndex.Build(src, KernelConfig.Load(Path.Combine(dir, $"config-{release}-amd64")));
        return new DraftExtractor(index, new ExtractOptions(root, through, Skip: SkipFor(root))).Extract(TreeVersion.Read(src), src);
    }

    public static TheoryData<string, string, string?, string, double> Paths => new()
    {
        { "6.1", "move_page_tables", null, "mremap-6.0", 0.9 },
        { "6.12", "move_page_tables", null, "mremap-6.6", 0.9 },
        { "6.1", "dup_mmap", null, "fork-6.0", 0.9 },
        { "6.12", "dup_mmap", null, "fork-6.6", 0.9 },
        { "6.1", "do_wp_page", "wp_page_copy", "cow-6.0", 0.9 },
        { "6.12", "do_wp_page", "wp_page_copy", "cow-6.6", 0.9 },
        { "6.1", "try_to_unmap_one", null, "reclaim-6.0", 0.9 },
        { "6.12", "try_to_unmap_one", null, "reclaim-6.6-x86", 0.9 },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Draft_keeps_the_catalog_ops_in_order(string release, string root, string? through, string twin, double floor)
    {
        if (Extract(release, root, through) is not { } draft) return; // the flag is off
        var catalog = CatalogOps(Path.Combine(AppContext.BaseDirectory, "catalog", twin + ".order"));
        int common = Lcs(catalog, draft.Ops);
        double ratio = (double)common / catalog.Count;
        Assert.True(ratio >= floor, $"{release} {root} vs {twin}: LCS {common}/{catalog.Count} = {ratio:P0} < {floor:P0}\n draft: {string.Join(' ', draft.Ops)}\n catalog: {string.Join(' ', catalog)}");
    }

    /// <summary>The op names of a catalog file's first thread.</summary>
    internal static List<string> CatalogOps(string path)
    {
        var ops = new List<string>();
        bool inThread = false;
        foreach (var raw in File.ReadLines(path))
        {
            if (raw.StartsWith("thread", StringComparison.Ordinal))
            {
                if (inThread) break;
                inThread = true;
                continue;
            }
            var code = raw.Split('#')[0].Trim();
            if (inThread && code.Length > 0) ops.Add(code.Split(' ')[0]);
        }
        return ops;
    }

    internal static int Lcs(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var d = new int[a.Count + 1, b.Count + 1];
        for (int i = 0; i < a.Count; i++)
            for (int j = 0; j < b.Count; j++)
                d[i + 1, j + 1] = a[i] == b[j] ? d[i, j] + 1 : Math.Max(d[i, j + 1], d[i + 1, j]);
        return d[a.Count, b.Count];
    }

    /// <summary>A draft finished by filling only the '?' ranges, the name, pages (with the twin's unmapped pages),
    /// the expectation and the twin's second thread: `checker check` must meet the twin's expectation.</summary>
    [Theory]
    [InlineData("6.12", "move_page_tables", "mremap-6.6", "pages 4\nunmapped 2 4", "invalidate_range_start=0 2;invalidate_range_end=0 2;pte_move=0 2 2;flush_tlb_range=0 2")]
    [InlineData("6.1", "move_page_tables", "mremap-6.0", "pages 4\nunmapped 2 4", "invalidate_range_start=0 2;invalidate_range_end=0 2;pte_move=0 2 2;flush_tlb_range=0 2")]
    [InlineData("6.12", "dup_mmap", "fork-6.6", "pages 2", "invalidate_range_start=0 2;invalidate_range_end=0 2;pte_wrprotect=0 2;get_page=0 2")]
    [InlineData("6.1", "dup_mmap", "fork-6.0", "pages 2", "invalidate_range_start=0 2;invalidate_range_end=0 2;pte_wrprotect=0 2;get_page=0 2")]
    public void A_finished_draft_checks_like_its_catalog_twin(string release, string root, string twin, string pages, string ranges)
    {
        if (Extract(release, root, null) is not { } draft) return; // the flag is off
        var twinText = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "catalog", twin + ".order"));
        string expect = twinText.Split('\n').First(l => l.StartsWith("expect ", StringComparison.Ordinal)).Trim();
        string finished = Finish(draft.Text, $"{root} {release} (finished draft)", pages, expect, ranges) + SecondThread(twinText);
        var file = Path.Combine(Path.GetTempPath(), $"extract-{root}-{release}-{Environment.ProcessId}.order");
        File.WriteAllText(file, finished);
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            int code = Checker.Cli.CheckerCommand.Run(["check", file], output, error);
            Assert.True(code == 0, $"{twin}: {expect} not met by the finished draft\n{output}\n{error}\n{finished}");
        }
        finally { File.Delete(file); }
    }

    /// <summary>Fills the holes: ordering name, pages, expect, and each live op's '?' by the range given for that op.</summary>
    internal static string Finish(string draft, string name, string pages, string expect, string ranges)
    {
        var byOp = ranges.Split(';').Select(r => r.Split('=')).ToDictionary(p => p[0], p => p[1]);
        var sb = new System.Text.StringBuilder();
        foreach (var line in draft.Split('\n'))
        {
            string l = line switch
            {
                "ordering TODO" => "ordering " + name,
                "pages TODO" => pages.Replace("\\n", "\n", StringComparison.Ordinal),
                "expect TODO" => expect,
                _ => line,
            };
            var code = l.Split('#')[0];
            var words = code.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 1 && words[1] == "?" && byOp.TryGetValue(words[0], out var args))
            {
                int first = l.IndexOf(" ?", StringComparison.Ordinal);
                int end = code.TrimEnd().Length;
                l = l[..first] + " " + args + l[end..];
            }
            sb.Append(l).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The twin's threads after its first, as written.</summary>
    internal static string SecondThread(string twin)
    {
        int first = twin.IndexOf("\nthread ", StringComparison.Ordinal);
        int second = first < 0 ? -1 : twin.IndexOf("\nthread ", first + 1, StringComparison.Ordinal);
        return second < 0 ? "" : "\n" + twin[(second + 1)..];
    }

    [Fact]
    public void Lcs_counts_the_ops_kept_in_order() =>
        Assert.Equal(2, Lcs(["a", "b", "c"], ["b", "x", "c", "a"]));
}
