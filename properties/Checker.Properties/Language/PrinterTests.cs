using Checker.Language;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Language;

public class PrinterTests
{
    public static TheoryData<string> CatalogNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in CatalogFiles.Names()) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CatalogNames))]
    public void PrintingAParsedCatalogFileGivesTheFileBack(string name)
    {
        string text = CatalogFiles.Text(name);
        Assert.Equal(text, OrderingPrinter.Print(CatalogFiles.Parse(name)));
    }

    [Fact]
    public void EveryOpAndHeaderPrintsToTextThatParsesBackToTheSameOrdering()
    {
        const string text = """
            # every header
            ordering  "all of it"
            kernel 6.0
            arch   arm64
            pages 8
            readonly 0 2
            unmapped 7
            cpus 2
            secondary sva intel-fixed keeps-entry-on-fault
            secondary sva smmu-btm
            secondary shadow no-retry
            secondary shadow
            reuse off
            environment generated
            expect violation lost-write   use-after-free
            source   somewhere   in mm/
            thread k   # trailing
               mmap_read_lock
              mmap_read_unlock
              mmap_write_lock
              ptl_lock
              lock i_mmap
              unlock i_mmap
              ptl_unlock
              invalidate_range_start 0 ~0
              invalidate_range_end 0x1000 0x3000
              invalidate_range_start 1
              invalidate_range_only_end 1
              invalidate_range ~0 ~0
              arch_invalidate_secondary_tlbs ~0
              change_pte 3
              pte_clear 0 2
              pte_wrprotect 2 4
              pte_mkwrite 2
              pte_install 0 2 ro
              pte_install 3
              pte_restore 4 ro
              pte_move 0 2 4
              ptep_set_access_flags 5
              copy_page 1
              get_page 1 3
              put_page 1 3
              flush_tlb_range 0 8
              flush_tlb_page 0x2000
              flush_tlb_mm
              ptep_clear_flush 6
              ptep_clear_flush_notify 6 7
              inc_tlb_flush_pending
              dec_tlb_flush_pending
              set_tlb_ubc_flush_pending 2
              try_to_unmap_flush
              flush_tlb_batched_pending
              tlb_gather_mmu
              zap_pte_range 0 4
              change_protection 0 4 rw
              change_protection 4 8 ro
              tlb_flush_mmu
              tlb_finish_mmu 0 8
              tlb_gather_mmu_fullmm
              tlb_finish_mmu
              wait_pte 2 readonly
              if !tlb_flush_nested flush_tlb_mm
              if pte_writable 1 pte_wrprotect 1
              release
              mmap_write_unlock
            thread c cpu 1
              read 1
              write 2
              reuse
            thread d device 0
              prefetch 3
            thread s shadow 1
              fault 4
              if tlb_flush_batched wait_pte 4 none
            # the end
            """;
        var parsed = Models.Parse(text);
        string printed = OrderingPrinter.Print(parsed);
        var reparsed = Models.Parse(printed);
        Assert.Equal(parsed, reparsed);
        Assert.Equal(printed, OrderingPrinter.Print(reparsed));
        Assert.Contains("ordering all of it\n", printed);
        Assert.Contains("thread k # trailing\n", printed);
        Assert.Contains("  if !tlb_flush_nested flush_tlb_mm\n", printed);
        Assert.EndsWith("# the end\n", printed);
    }

    [Fact]
    public void OrderingsThatDifferInOneArgumentAreNotEqual() =>
        Assert.NotEqual(Models.Parse("thread t\n  pte_clear 0 2\n"), Models.Parse("thread t\n  pte_clear 0 3\n"));
}
