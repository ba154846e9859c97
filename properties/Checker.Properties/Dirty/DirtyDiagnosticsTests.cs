using Checker.Language;
using Xunit;

namespace Checker.Properties.Dirty;

/// <summary>DESIGN §8.6: the diagnostics of the §8 lines (all collected, nothing runs), and the printer's round trip.</summary>
public sealed class DirtyDiagnosticsTests
{
    private static string First(string text)
    {
        var result = OrderingParser.Parse(text, "d.order");
        Assert.False(result.Ok, "accepted:\n" + text);
        return result.Diagnostics[0].ToString();
    }

    private static void Accepted(string text)
    {
        var result = OrderingParser.Parse(text, "d.order");
        Assert.True(result.Ok, string.Join("\n", result.Diagnostics));
        Assert.Equal(text, OrderingPrinter.Print(result.Ordering!));
    }

    [Theory]
    [InlineData("tlb_flush_mmu_tlbonly")]
    [InlineData("tlb_flush_pte_range 0")]
    [InlineData("madvise_free 0")]
    [InlineData("tlb_flush_rmaps")]
    public void AGatherOpNeedsAnActiveGather(string op) =>
        Assert.Contains("without an active mmu_gather", First($"kernel 6.6\nthread t\n  {op}\n"), StringComparison.Ordinal);

    [Theory]
    [InlineData("3.14", "tlb_flush_mmu_tlbonly", "tlb-flush-mmu-tlbonly")]
    [InlineData("6.1", "tlb_flush_rmaps", "delayed-rmap")]
    public void AGatherOpOutsideItsReleasesIsRefused(string release, string op, string rule) =>
        Assert.Contains($"needs rule {rule}", First($"kernel {release}\nthread t\n  tlb_gather_mmu\n  {op}\n  tlb_finish_mmu\n"), StringComparison.Ordinal);

    [Theory]
    [InlineData("3.12", "set_tlb_flush_pending")]
    [InlineData("4.13", "clear_tlb_flush_pending")]
    public void TheBooleanPendingOpsExistFrom313To412(string release, string op) =>
        Assert.Contains("needs rule tlb-flush-pending-bool", First($"kernel {release}\nthread t\n  {op}\n"), StringComparison.Ordinal);

    [Fact]
    public void AliasOfItselfIsRefused() =>
        Assert.Equal("d.order:2:1: error: alias 1 1 maps page 1 to itself — alias Q P makes page Q a second mapping of page P's frame: name two different pages",
            First("file 0 2\nalias 1 1\nthread t\n  force_flush\n"));

    [Fact]
    public void APageAliasedTwiceIsRefused() =>
        Assert.Contains("page 2 is aliased twice (first at line 2)", First("file 0 2\nalias 2 0\nalias 2 1\nthread t\n  force_flush\n"), StringComparison.Ordinal);

    [Fact]
    public void FileOverlappingLazyfreeIsRefused() =>
        Assert.Contains("lazyfree 1 3 overlaps a file range", First("file 0 2\nlazyfree 1 3\nthread t\n  force_flush\n"), StringComparison.Ordinal);

    [Fact]
    public void AFileRangeOutsideThePagesIsRefused() =>
        Assert.StartsWith("d.order:2:", First("pages 2\nfile 0 3\nthread t\n  force_flush\n"), StringComparison.Ordinal);

    [Fact]
    public void AnOrNeedsASecondCondition() =>
        Assert.Contains("'or' needs a second condition", First("thread t\n  if pte_dirty 0 or\n"), StringComparison.Ordinal);

    [Fact]
    public void ThreeConditionsAreRefused() =>
        Assert.Contains("at most two conditions", First("thread t\n  if pte_dirty 0 or force_flush or unflushed flush_tlb_mm\n"), StringComparison.Ordinal);

    [Fact]
    public void TheDirtyLinesPrintBackAsWritten() =>
        Accepted("kernel 6.6\npages 4\nfile 0 2\nalias 3 0\nlazyfree 2\nthread t\n  if pte_dirty 0 or !force_flush flush_tlb_range 0 2\n  if unflushed flush_tlb_mm\n  writeback 0\n  get_user_pages 2\n  dma_write 2\n  set_page_dirty 2\n  unpin_user_page 2\n");
}
