using Checker.Invariants;
using Xunit;
using static Checker.Properties.Support.Models;
using Checker.Vocabulary;

namespace Checker.Properties.Invariants;

/// <summary>Every invariant of DESIGN §3.5: a hand-written schedule that violates it and a close variant that
/// does not (same ordering with one line changed, or the same steps in another order).</summary>
public class InvariantTests
{
    // ---- stale-secondary-after-flush ----

    private const string ClearFlushUnlockThenInvalidate = """
        kernel 6.0
        pages 2
        cpus 0
        secondary sva exact
        thread t
          ptl_lock
          ptep_clear_flush 0
          ptl_unlock
          invalidate_range 0
        """;

    private const string ClearFlushInvalidateThenUnlock = """
        kernel 6.0
        pages 2
        cpus 0
        secondary sva exact
        thread t
          ptl_lock
          ptep_clear_flush 0
          invalidate_range 0
          ptl_unlock
        """;

    [Fact]
    public void DeviceEntryLeftAfterTheCpuFlushIsStaleAtTheUnlock() =>
        AssertViolation(Run(ClearFlushUnlockThenInvalidate, """
            dev0: read 0
            t: ptl_lock
            t: ptep_clear_flush 0
            t: ptl_unlock
            """), InvariantId.StaleSecondaryAfterFlush, step: 4);

    [Fact]
    public void InvalidatingTheDeviceBeforeTheUnlockKeepsTheSecondaryInStep() =>
        AssertNoViolation(Run(ClearFlushInvalidateThenUnlock, """
            dev0: read 0
            t: ptl_lock
            t: ptep_clear_flush 0
            t: invalidate_range 0
            t: ptl_unlock
            """));

    [Fact]
    public void AStaleDeviceEntryBeforeAnyCpuFlushIsNotYetAProtocolViolation() =>
        AssertNoViolation(Run("""
            kernel 6.0
            pages 2
            cpus 0
            secondary sva exact
            thread t
              ptl_lock
              pte_clear 0
              ptl_unlock
              flush_tlb_page 0
              invalidate_range 0
            """, """
            dev0: read 0
            t*5
            """));

    [Fact]
    public void AnotherThreadsFlushDoesNotMakeThisThreadAnswerForThePage() =>
        // u changes page 1 and never flushes; t flushes everything but changed only page 0, which it invalidates
        AssertNoViolation(Run("""
            kernel 6.0
            pages 2
            cpus 0
            secondary sva exact
            thread t
              pte_clear 0
              invalidate_range 0
              flush_tlb_mm
              ptl_lock
              ptl_unlock
            thread u
              pte_clear 1
            """, """
            dev0: read 1
            u: pte_clear 1
            t*5
            """));

    // ---- invalid-notifier-range ----

    private const string InvalidateRangeOf = """
        kernel 6.0
        pages 2
        cpus 0
        secondary sva amd
        thread t
          invalidate_range RANGE
        """;

    [Fact]
    public void MinusOneMinusOneIsAnInvalidRange() =>
        AssertViolation(Run(InvalidateRangeOf.Replace("RANGE", "~0 ~0"), "t: invalidate_range ~0 ~0"), InvariantId.InvalidNotifierRange, step: 1);

    [Fact]
    public void ZeroMinusOneIsTheValidEverythingRange() =>
        AssertNoViolation(Run(InvalidateRangeOf.Replace("RANGE", "0 ~0"), "t: invalidate_range 0 ~0"));

    [Fact]
    public void AnEndBeyondTheUserAddressSpaceIsInvalid() =>
        AssertViolation(Run(InvalidateRangeOf.Replace("RANGE", "0 0x3000"), "t: invalidate_range 0 0x3000"), InvariantId.InvalidNotifierRange);

    [Fact]
    public void ARangeSentAfterReleaseReachesNoSubscriber() =>
        AssertNoViolation(Run("""
            kernel 6.0
            pages 2
            cpus 0
            secondary sva amd
            thread t
              release
              invalidate_range ~0 ~0
            """, "t*2"));

    // ---- unbalanced-notifier ----

    private const string StartThenEnd = """
        kernel 6.6
        pages 2
        cpus 0
        secondary sva exact
        thread t
          invalidate_range_start 0 2
          invalidate_range_end END
        """;

    [Fact]
    public void AnEndOverAnotherRangeIsUnbalanced() =>
        AssertViolation(Run(StartThenEnd.Replace("END", "0 1"), "t*2"), InvariantId.UnbalancedNotifier, step: 2);

    [Fact]
    public void AnEndOverTheSameRangeIsBalanced() =>
        AssertNoViolation(Run(StartThenEnd.Replace("END", "0 2"), "t*2"));

    [Fact]
    public void ReturningInsideAStartIsUnbalanced() =>
        AssertViolation(Run("""
            kernel 6.6
            pages 2
            secondary sva exact
            thread t
              invalidate_range_start 0 2
            """, "t*1"), InvariantId.UnbalancedNotifier, step: 1);

    [Theory]
    [InlineData("0 1", "1 2", true)]
    [InlineData("1 2", "0 1", false)]
    public void EndsCloseStartsInLastInFirstOutOrder(string firstEnd, string secondEnd, bool violates)
    {
        var result = Run($"""
            kernel 6.6
            pages 2
            secondary sva exact
            thread t
              invalidate_range_start 0 1
              invalidate_range_start 1 2
              invalidate_range_end {firstEnd}
              invalidate_range_end {secondEnd}
            """, "t*4");
        if (violates) AssertViolation(result, InvariantId.UnbalancedNotifier, step: 3);
        else AssertNoViolation(result);
    }

    // ---- pte-change-outside-notifier ----

    [Fact]
    public void ClearingAPteWithAShadowAttachedAndNoStartIsAViolation() =>
        AssertViolation(Run("""
            kernel 6.6
            pages 2
            cpus 0
            secondary shadow
            thread t
              ptl_lock
              pte_clear 0
              ptl_unlock
            """, "t*3"), InvariantId.PteChangeOutsideNotifier, step: 2);

    [Fact]
    public void ClearingAPteInsideACoveringStartEndIsFine() =>
        AssertNoViolation(Run("""
            kernel 6.6
            pages 2
            cpus 0
            secondary shadow
            thread t
              invalidate_range_start 0 1
              ptl_lock
              pte_clear 0
              ptl_unlock
              invalidate_range_end 0 1
            """, "t*5"));

    [Fact]
    public void AStartThatOnlyPartlyCoversThePageDoesNotCoverIt() =>
        AssertViolation(Run("""
            kernel 6.6
            pages 2
            cpus 0
            secondary shadow
            thread t
              invalidate_range_start 0x800 0x1800
              pte_clear 0
              invalidate_range_end 0x800 0x1800
            """, "t*3"), InvariantId.PteChangeOutsideNotifier, step: 2);

    [Fact]
    public void ChangePteOutsideStartEndIsAViolation() =>
        AssertViolation(Run("""
            kernel 6.0
            pages 2
            cpus 0
            secondary shadow
            thread t
              change_pte 1
            """, "t*1"), InvariantId.PteChangeOutsideNotifier, step: 1);

    [Fact]
    public void WithoutAShadowOnlySharedTablesAreAttachedAndAnyChangeIsAllowed() =>
        AssertNoViolation(Run("""
            kernel 6.6
            pages 2
            cpus 0
            secondary sva exact
            thread t
              pte_clear 0
            """, "t*1"));

    // ---- use-after-free ----

    [Fact]
    public void ADeviceReadingAFreedFrameThroughItsIotlbIsAUseAfterFree()
    {
        var result = Run("""
            kernel 6.0
            pages 2
            cpus 0
            secondary sva exact
            thread t
              pte_clear 0
              put_page 0
            """, """
            dev0: read 0
            t: pte_clear 0
            t: put_page 0
            dev0: read 0
            """);
        AssertViolation(result, InvariantId.UseAfterFree, step: 4);
        // the same access also reached a page t covered and returned from: a co-violation, not the violation
        Assert.Contains(InvariantId.AccessAfterReturn, result.Violation!.CoViolations);
    }

    [Fact]
    public void InvalidatingBeforeTheFreeLeavesNothingToReach() =>
        AssertNoViolation(Run("""
            kernel 6.0
            pages 2
            cpus 0
            secondary sva exact
            thread t
              pte_clear 0
              invalidate_range 0
              put_page 0
            """, """
            dev0: read 0
            t*3
            dev0: read 0
            """));

    [Fact]
    public void AReusedFrameIsNoLongerOursEither() =>
        AssertViolation(Run("""
            kernel 6.0
            pages 2
            cpus 1
            thread t
              pte_clear 0
              put_page 0
              flush_tlb_page 0
            """, """
            cpu0: write 0
            t: pte_clear 0
            t: put_page 0
            alloc: reuse
            cpu0: write 0
            """), InvariantId.UseAfterFree, step: 5);

    // ---- access-after-return ----

    private const string ClearWithoutFlush = """
        kernel 6.0
        pages 2
        cpus 1
        thread t
          pte_clear 0
        """;

    [Fact]
    public void UsingAStaleCpuTranslationAfterTheThreadReturnedIsAViolation() =>
        AssertViolation(Run(ClearWithoutFlush, """
            cpu0: read 0
            t: pte_clear 0
            cpu0: read 0
            """), InvariantId.AccessAfterReturn, step: 3);

    [Fact]
    public void TheSameStaleAccessBeforeTheThreadReturnsIsNotYetAViolation() =>
        AssertNoViolation(Run(ClearWithoutFlush.Replace("  pte_clear 0", "  pte_clear 0\n  ptl_lock\n  ptl_unlock"), """
            cpu0: read 0
            t: pte_clear 0
            cpu0: read 0
            """));

    [Fact]
    public void FlushingBeforeReturningLeavesNothingStale() =>
        AssertNoViolation(Run(ClearWithoutFlush.Replace("pte_clear 0", "ptep_clear_flush 0"), """
            cpu0: read 0
            t: ptep_clear_flush 0
            cpu0: read 0
            """));

    // ---- lost-write ----

    private const string WrprotectCopyInstall = """
        kernel 6.0
        pages 2
        cpus 0
        secondary sva exact
        thread t
          pte_wrprotect 0
          copy_page 0
          pte_install 0
        """;

    [Fact]
    public void AWriteThroughAStaleWritableEntryAfterTheCopyIsLost() =>
        AssertViolation(Run(WrprotectCopyInstall, """
            dev0: write 0
            t: pte_wrprotect 0
            t: copy_page 0
            dev0: write 0
            """), InvariantId.LostWrite, step: 4);

    [Fact]
    public void TheSameStaleWriteBeforeTheCopyIsNotLost() =>
        AssertNoViolation(Run(WrprotectCopyInstall, """
            dev0: write 0
            t: pte_wrprotect 0
            dev0: write 0
            t: copy_page 0
            """));

    // ---- secondary-fault-loop ----

    private const string UpgradeUnderKeepsEntry = """
        kernel 6.6
        arch ARCH
        pages 2
        cpus 0
        readonly 0 1
        secondary sva smmu FLAG
        thread t
          ptep_set_access_flags 0
        """;

    private const string CachedReadThenThreeWrites = """
        dev0: read 0
        t: ptep_set_access_flags 0
        dev0: write 0
        dev0: write 0
        dev0: write 0
        """;

    [Fact]
    public void AnSmmuKeepingItsReadOnlyEntryFaultsForeverAfterAnX86Upgrade() =>
        AssertViolation(Run(UpgradeUnderKeepsEntry.Replace("ARCH", "x86").Replace("FLAG", "keeps-entry-on-fault"), CachedReadThenThreeWrites),
            InvariantId.SecondaryFaultLoop, step: 5);

    [Fact]
    public void ADeviceThatDropsTheEntryOnAFaultRewalksAndWrites() =>
        AssertNoViolation(Run(UpgradeUnderKeepsEntry.Replace("ARCH", "x86").Replace("FLAG", ""), CachedReadThenThreeWrites));

    [Fact]
    public void Arm64FlushesTheUpgradeAndIn66ThatReachesTheSmmu() =>
        AssertNoViolation(Run(UpgradeUnderKeepsEntry.Replace("ARCH", "arm64").Replace("FLAG", "keeps-entry-on-fault"), CachedReadThenThreeWrites));

    [Fact]
    public void AnyOtherDeviceActionResetsTheFaultCount() =>
        AssertNoViolation(Run(UpgradeUnderKeepsEntry.Replace("ARCH", "x86").Replace("FLAG", "keeps-entry-on-fault"), """
            dev0: read 0
            t: ptep_set_access_flags 0
            dev0: write 0
            dev0: write 0
            dev0: read 1
            dev0: write 0
            """));

    // ---- several at one step ----

    [Fact]
    public void WhenSeveralBreakAtOneStepTheFirstInTableOrderIsTheViolation()
    {
        // the nested 6.0 finish sends (~0, ~0) and frees pages a device still translates: stale-secondary-after-flush
        // comes first in the table, invalid-notifier-range is a co-violation
        var result = Run("""
            kernel 6.0
            pages 2
            cpus 0
            secondary sva amd
            thread a
              tlb_gather_mmu
              zap_pte_range 0 2
              tlb_finish_mmu
            thread b
              tlb_gather_mmu
              tlb_finish_mmu
            """, """
            dev0: read 0
            a: tlb_gather_mmu
            b: tlb_gather_mmu
            a: zap_pte_range 0 2
            a: tlb_finish_mmu
            """);
        AssertViolation(result, InvariantId.StaleSecondaryAfterFlush, step: 5);
        Assert.Contains(InvariantId.InvalidNotifierRange, result.Violation!.CoViolations);
    }
}
