using Checker.Exploration.Symmetry;
using Checker.Model;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Exploration;

/// <summary>
/// Issue 14, §8: what the dirty-data lines do to the symmetry plan, and that the canonical form sees the §8
/// fields permuted with their pages (and page-cache frames with their page's number).
/// </summary>
public class DirtySymmetryTests
{
    private const string Head = "kernel 6.2\npages 8\ncpus 1\n";

    private static SymmetryPlan PlanOf(string text) => SymmetryPlan.For(Models.Compile(text));

    [Fact]
    public void FileAndLazyfreeRangesSplitClassesLikeReadonly()
    {
        var plan = PlanOf(Head + "file 0 4\nlazyfree 4 8\nthread t\n  pte_mkclean 0 8\n");
        Assert.Null(plan.DisabledBecause);
        Assert.Equal(["pages 0-3", "pages 4-7"], plan.Describe());
    }

    [Fact]
    public void AnAliasSinglesOutBothItsPages()
    {
        var plan = PlanOf(Head + "file 0 4\nalias 6 1\nthread t\n  pte_mkclean 0 8\n");
        Assert.Equal(["pages 2-3", "pages 4-5"], plan.Describe());
    }

    [Fact]
    public void MadviseFreeSinglesOutEachPageItMayWidenTheGatherBy()
    {
        var plan = PlanOf(Head + "lazyfree 0 8\nthread t\n  tlb_gather_mmu\n  madvise_free 0 4\n  tlb_finish_mmu\n");
        Assert.Equal(["pages 4-7"], plan.Describe());
    }

    [Fact]
    public void APageOpOfDirtyDataSinglesOutItsPage()
    {
        var plan = PlanOf(Head + "file 0 8\nthread t\n  writeback 2\n");
        Assert.Equal(["pages 0-1", "pages 3-7"], plan.Describe());
    }

    [Fact]
    public void TheTreeStaysRefused()
    {
        var plan = PlanOf("kernel 6.6\npages 8\nhugepage 2\nthread t\n  pte_clear 0 8\n");
        Assert.NotNull(plan.DisabledBecause);
        Assert.Empty(plan.Describe());
    }

    /// <summary>A CPU's dirty TLB entry and the PTE's D on page 1 hash as on page 2 (the same state up to swapping
    /// pages 1 and 2), but not as D on one page and the entry on the other.</summary>
    [Fact]
    public void TheCanonicalFormPermutesDirtyBitsWithTheirPages()
    {
        var program = Models.Compile("kernel 6.2\npages 4\ncpus 1\nfile 0 4\nthread t\n  pte_mkclean 0 4\n");
        var plan = SymmetryPlan.For(program);
        Assert.Equal(["pages 0-3"], plan.Describe());
        var canonical = new StateCanonicalizer(program, plan);
        ulong OnPages(int dirtyPte, int cachedPage)
        {
            var s = new ModelState(program);
            s.W[s.PteDirty] |= 1UL << dirtyPte;
            s.W[s.TlbValid] |= 1UL << cachedPage;
            s.W[s.TlbWritable] |= 1UL << cachedPage;
            s.W[s.TlbDirty] |= 1UL << cachedPage;
            s.I[s.TlbFrame + cachedPage] = s.I[s.PteFrame + cachedPage];
            return canonical.Hash(s);
        }
        Assert.Equal(OnPages(1, 1), OnPages(2, 2));
        Assert.NotEqual(OnPages(1, 1), OnPages(1, 2));
    }

    /// <summary>PG_dirty on page 1's cache frame hashes as on page 3's, and differently from no PG_dirty: the frame
    /// field moves with its frame, and the cache frame keeps its page's number.</summary>
    [Fact]
    public void TheCanonicalFormMovesFrameFieldsWithTheirCacheFrames()
    {
        var program = Models.Compile("kernel 6.2\npages 4\ncpus 1\nfile 0 4\nthread t\n  pte_mkclean 0 4\n");
        var canonical = new StateCanonicalizer(program, SymmetryPlan.For(program));
        ulong PgDirtyOn(int frame)
        {
            var s = new ModelState(program);
            if (frame >= 0) s.I[s.FramePgDirty + frame] = 1;
            return canonical.Hash(s);
        }
        Assert.Equal(PgDirtyOn(1), PgDirtyOn(3));
        Assert.NotEqual(PgDirtyOn(1), PgDirtyOn(-1));
    }

    /// <summary>Pages 1 and 2 mapping each other's cache frames is not the initial state renamed: the cache index
    /// names the frame (writeback 1 acts on frame 1), so a renumbering that forgot it would merge the two.</summary>
    [Fact]
    public void ACacheFrameKeepsItsPagesNumber()
    {
        var program = Models.Compile("kernel 6.2\npages 4\ncpus 1\nfile 0 4\nthread t\n  pte_mkclean 0 4\n");
        var canonical = new StateCanonicalizer(program, SymmetryPlan.For(program));
        var s = new ModelState(program);
        ulong initial = canonical.Hash(s);
        s.I[s.PteFrame + 1] = 2;
        s.I[s.PteFrame + 2] = 1;
        Assert.NotEqual(initial, canonical.Hash(s));
    }
}
