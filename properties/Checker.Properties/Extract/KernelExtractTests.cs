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
    public const string Skip = "huge|uffd|hugetlb|need_rmap_locks|HWPoison|hwpoison|ksm|device_private|device_exclusive|anon_vma_fork|vma_dup_policy|i_mmap|mlock|VM_LOCKED";

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
        var dir = Environment.GetEnvironmentVariable("CHECKER_KERNEL_SRC");
        if (string.IsNullOrEmpty(dir)) return; // the flag is off
        var src = Path.Combine(dir, $"linux-{release}");
        var index = SourceIndex.Build(src, KernelConfig.Load(Path.Combine(dir, $"config-{release}-amd64")));
        var draft = new DraftExtractor(index, new ExtractOptions(root, through, Skip: Skip)).Extract(TreeVersion.Read(src), src);
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

    [Fact]
    public void Lcs_counts_the_ops_kept_in_order() =>
        Assert.Equal(2, Lcs(["a", "b", "c"], ["b", "x", "c", "a"]));
}
