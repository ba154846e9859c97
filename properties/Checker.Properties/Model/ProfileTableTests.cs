using Checker.Invariants;
using Checker.Language;
using Xunit;
using static Checker.Properties.Support.Models;
using Checker.Vocabulary;

namespace Checker.Properties.Model;

/// <summary>
/// Every row of the profile table (DESIGN §3.4), each checked in every column with an outcome that differs
/// between the columns where the table differs: a row implemented as another column fails here.
/// </summary>
public class ProfileTableTests
{
    private static string Header(string kernel, string arch = "x86", string flavor = "exact", int cpus = 0, string extra = "") => $"""
        kernel {kernel}
        arch {arch}
        pages 2
        cpus {cpus}
        {extra}
        secondary sva {flavor}

        """;

    // Row: invalidate_range_end R — 4.14 and 6.0 invalidate the secondaries over R, then end; 6.6 ends only.
    [Theory]
    [InlineData("4.14", 0b00UL, 1L)]
    [InlineData("6.0", 0b00UL, 1L)]
    [InlineData("6.6", 0b01UL, 0L)]
    public void InvalidateRangeEndInvalidatesSecondariesUpTo65Only(string kernel, ulong iotlbAfter, long calls)
    {
        var (result, m) = RunWithMachine(Header(kernel) + """
            thread t
              invalidate_range_start 0 2
              pte_clear 0
              invalidate_range_end 0 2
            """, "dev0: read 0\nt*3");
        AssertNoViolation(result);
        Assert.Equal(iotlbAfter, Iotlb(m));
        Assert.Equal(calls, result.Costs.SecondaryInvalidations);
    }

    // Row: invalidate_range_only_end — not in 4.14; end only in 6.0; not in 6.6.
    [Theory]
    [InlineData("4.14")]
    [InlineData("6.6")]
    public void OnlyEndExistsOnlyIn60(string kernel)
    {
        var result = OrderingParser.Parse(Header(kernel) + """
            thread t
              invalidate_range_start 0 2
              invalidate_range_only_end 0 2
            """, "t.order");
        var d = Assert.Single(result.Diagnostics);
        Assert.StartsWith($"invalidate_range_only_end does not exist in kernel {kernel}: it needs rule invalidate-range-only-end (4.15-6.5;", d.Message);
    }

    [Fact]
    public void OnlyEndIn60EndsWithoutTheSecondaryInvalidation()
    {
        var (result, m) = RunWithMachine(Header("6.0") + """
            thread t
              invalidate_range_start 0 2
              pte_clear 0
              invalidate_range_only_end 0 2
            """, "dev0: read 0\nt*3");
        AssertNoViolation(result);
        Assert.Equal(0b01UL, Iotlb(m));
        Assert.Equal(0, result.Costs.SecondaryInvalidations);
    }

    // Row: ptep_clear_flush_notify — available (clear + CPU flush + IR) in 4.14 and 6.0, gone in 6.6.
    [Theory]
    [InlineData("4.14")]
    [InlineData("6.0")]
    public void PtepClearFlushNotifyInvalidatesTheSecondaryUpTo65(string kernel)
    {
        var (result, m) = RunWithMachine(Header(kernel, cpus: 1) + """
            thread t
              ptep_clear_flush_notify 0
            """, "dev0: read 0\ncpu0: read 0\nt*1");
        AssertNoViolation(result);
        Assert.Equal(0UL, Iotlb(m));
        Assert.Equal(0UL, Tlb(m));
    }

    [Fact]
    public void PtepClearFlushNotifyDoesNotExistIn66()
    {
        var result = OrderingParser.Parse(Header("6.6") + "thread t\n  ptep_clear_flush_notify 0\n", "t.order");
        Assert.StartsWith("ptep_clear_flush_notify does not exist in kernel 6.6: it needs rule ptep-clear-flush-notify (up to 6.5;", Assert.Single(result.Diagnostics).Message);
    }

    // Row: every CPU flush — 4.14 and 6.0 flush the CPUs only; 6.6 then invalidates the secondaries over the
    // same range, flush_tlb_mm and full flushes passing (0, ~0).
    [Theory]
    [InlineData("4.14", "flush_tlb_range 0 2", 0b11UL)]
    [InlineData("6.0", "flush_tlb_range 0 2", 0b11UL)]
    [InlineData("6.6", "flush_tlb_range 0 2", 0b00UL)]
    [InlineData("6.0", "flush_tlb_page 1", 0b11UL)]
    [InlineData("6.6", "flush_tlb_page 1", 0b01UL)]
    [InlineData("4.14", "flush_tlb_mm", 0b11UL)]
    [InlineData("6.6", "flush_tlb_mm", 0b00UL)]
    public void CpuFlushesReachTheSecondariesOnlyIn66(string kernel, string flush, ulong iotlbAfter)
    {
        var (result, m) = RunWithMachine(Header(kernel, cpus: 1) + $"thread t\n  {flush}\n", "dev0: read 0\ndev0: read 1\ncpu0: read 0\ncpu0: read 1\nt*1");
        AssertNoViolation(result);
        Assert.Equal(iotlbAfter, Iotlb(m));
        Assert.Equal(flush == "flush_tlb_page 1" ? 0b01UL : 0UL, Tlb(m));
    }

    [Theory]
    [InlineData("intel", 0b11UL)]       // (0, ~0) computes zero pages: the pre-6.6 Intel arithmetic
    [InlineData("intel-fixed", 0b00UL)] // 6.6's special case for (0, -1)
    public void FlushTlbMmIn66PassesZeroMinusOne(string flavor, ulong iotlbAfter)
    {
        var (result, m) = RunWithMachine(Header("6.6", flavor: flavor) + "thread t\n  flush_tlb_mm\n", "dev0: read 0\ndev0: read 1\nt*1");
        AssertNoViolation(result);
        Assert.Equal(iotlbAfter, Iotlb(m));
        Assert.Equal(1, result.Costs.FullFlushes);
    }

    [Theory]
    [InlineData("6.0", 0b11UL)]
    [InlineData("6.6", 0b00UL)]
    public void FlushTlbBatchedPendingIsACpuFlushLikeTheOthers(string kernel, ulong iotlbAfter)
    {
        var (result, m) = RunWithMachine(Header(kernel, cpus: 1) + """
            thread t
              set_tlb_ubc_flush_pending 0
              flush_tlb_batched_pending
            """, "t: set_tlb_ubc_flush_pending 0\ndev0: read 0\ndev0: read 1\ncpu0: read 0\nt: flush_tlb_batched_pending");
        AssertNoViolation(result);
        Assert.Equal(iotlbAfter, Iotlb(m));
        Assert.Equal(0UL, Tlb(m));
    }

    // Row: try_to_unmap_flush — CPU only in every profile (6.6 invalidated the secondaries at deferral).
    [Theory]
    [InlineData("4.14")]
    [InlineData("6.0")]
    [InlineData("6.6")]
    public void TryToUnmapFlushFlushesTheCpusOnly(string kernel)
    {
        var (result, m) = RunWithMachine(Header(kernel, cpus: 1) + """
            thread t
              set_tlb_ubc_flush_pending 0
              try_to_unmap_flush
            """, "t: set_tlb_ubc_flush_pending 0\ndev0: read 0\ncpu0: read 0\nt: try_to_unmap_flush");
        AssertNoViolation(result);
        Assert.Equal(0b01UL, Iotlb(m));
        Assert.Equal(0UL, Tlb(m));
        Assert.Equal(1, m.State.I[m.State.TlbFlushBatched]); // try_to_unmap_flush leaves mm->tlb_flush_batched set
    }

    // Row: tlb_flush_mmu — 4.14 and 6.0 flush the CPUs over [start,end) and call IR(start,end); 6.6 goes through
    // the arch flush. A fullmm gather zapping page 1 has [0x1000, ~0): up to 6.5 that range reaches the hook.
    [Theory]
    [InlineData("4.14", true)]
    [InlineData("6.0", true)]
    [InlineData("6.6", false)]
    public void TlbFlushMmuOfAFullmmGatherPassesItsRawRangeUpTo65(string kernel, bool invalidRange)
    {
        var (result, m) = RunWithMachine(Header(kernel) + """
            thread t
              tlb_gather_mmu_fullmm
              zap_pte_range 1
              tlb_flush_mmu
              tlb_finish_mmu 0 2
            """, "dev0: read 0\ndev0: read 1\nt*4");
        if (invalidRange) AssertViolation(result, InvariantId.InvalidNotifierRange, step: 5);
        else
        {
            AssertNoViolation(result);
            Assert.Equal(0UL, Iotlb(m)); // (0, ~0) dropped both pages
        }
    }

    [Theory]
    [InlineData("4.14", 1L)] // 4.14 flushes whenever end != 0, and a fullmm gather's end is ~0
    [InlineData("6.0", 0L)]  // 4.15+ flushes only when something was cleared or tables freed
    [InlineData("6.6", 0L)]
    public void AnEmptyGatherFlushesOnlyIn414WhenFullmm(string kernel, long fullFlushes)
    {
        var (_, m) = RunWithMachine(Header(kernel).Replace("secondary sva exact", "") + """
            thread t
              tlb_gather_mmu_fullmm
              tlb_flush_mmu
              tlb_finish_mmu 0 2
            """, "t*2");
        Assert.Equal(fullFlushes, m.Costs.FullFlushes);
    }

    // Row: tlb_finish_mmu when nested — 4.14 flushes R; 6.0 sets fullmm with start = end = ~0 and sends (~0, ~0);
    // 6.6 the same, but the secondaries get (0, ~0) through the flush.
    private const string NestedEmptyGathers = """
        thread a
          tlb_gather_mmu
          tlb_finish_mmu 0 1
        thread b
          tlb_gather_mmu
          tlb_finish_mmu 1 2
        """;

    private const string NestedSchedule = "dev0: read 0\ndev0: read 1\na: tlb_gather_mmu\nb: tlb_gather_mmu\na: tlb_finish_mmu 0 1";

    [Fact]
    public void NestedFinishIn414FlushesTheCallersRange()
    {
        var (result, m) = RunWithMachine(Header("4.14") + NestedEmptyGathers, NestedSchedule);
        AssertNoViolation(result);
        Assert.Equal(0b10UL, Iotlb(m)); // only [0, 0x1000) was flushed and invalidated
        Assert.Equal(0, result.Costs.FullFlushes);
    }

    [Fact]
    public void NestedFinishIn60SendsMinusOneMinusOne()
    {
        var result = Run(Header("6.0") + NestedEmptyGathers, NestedSchedule);
        AssertViolation(result, InvariantId.InvalidNotifierRange, step: 5);
        Assert.Contains("(~0, ~0)", result.Violation!.Description);
    }

    [Fact]
    public void NestedFinishIn66FlushesEverythingWithZeroMinusOne()
    {
        var (result, m) = RunWithMachine(Header("6.6") + NestedEmptyGathers, NestedSchedule);
        AssertNoViolation(result);
        Assert.Equal(0UL, Iotlb(m));
        Assert.Equal(1, result.Costs.FullFlushes);
    }

    // Row: set_tlb_ubc_flush_pending — defer the CPU flush up to 6.5; 6.6 x86 invalidates (0, ~0) now,
    // 6.6 arm64 invalidates R now.
    [Theory]
    [InlineData("4.14", "x86", 0b11UL)]
    [InlineData("6.0", "x86", 0b11UL)]
    [InlineData("6.0", "arm64", 0b11UL)]
    [InlineData("6.6", "x86", 0b00UL)]
    [InlineData("6.6", "arm64", 0b10UL)]
    public void DeferredFlushRegistrationInvalidatesSecondariesOnlyIn66(string kernel, string arch, ulong iotlbAfter)
    {
        var (result, m) = RunWithMachine(Header(kernel, arch) + "thread t\n  set_tlb_ubc_flush_pending 0\n", "dev0: read 0\ndev0: read 1\nt*1");
        AssertNoViolation(result);
        Assert.Equal(iotlbAfter, Iotlb(m));
    }

    // Rows: change_protection R rw and ptep_set_access_flags P — x86's fault path does not flush an upgrade,
    // and its mprotect flushes one only up to 5.18 (if (pages) flush_tlb_range; pte_needs_flush from c9fe66560bf2,
    // 5.19); arm64 flushes the CPUs in every release, and from 6.6 that flush also invalidates the secondaries.
    [Theory]
    [InlineData("4.14", "x86", "change_protection 0 2 rw", 0b00UL, 0b01UL)]
    [InlineData("5.18", "x86", "change_protection 0 2 rw", 0b00UL, 0b01UL)]
    [InlineData("5.19", "x86", "change_protection 0 2 rw", 0b01UL, 0b01UL)]
    [InlineData("6.0", "x86", "change_protection 0 2 rw", 0b01UL, 0b01UL)]
    [InlineData("6.6", "x86", "change_protection 0 2 rw", 0b01UL, 0b01UL)]
    [InlineData("4.14", "x86", "ptep_set_access_flags 0", 0b01UL, 0b01UL)]
    [InlineData("6.0", "x86", "ptep_set_access_flags 0", 0b01UL, 0b01UL)]
    [InlineData("6.6", "x86", "ptep_set_access_flags 0", 0b01UL, 0b01UL)]
    [InlineData("4.14", "arm64", "change_protection 0 2 rw", 0b00UL, 0b01UL)]
    [InlineData("6.0", "arm64", "change_protection 0 2 rw", 0b00UL, 0b01UL)]
    [InlineData("6.6", "arm64", "change_protection 0 2 rw", 0b00UL, 0b00UL)]
    [InlineData("4.14", "arm64", "ptep_set_access_flags 0", 0b00UL, 0b01UL)]
    [InlineData("6.0", "arm64", "ptep_set_access_flags 0", 0b00UL, 0b01UL)]
    [InlineData("6.6", "arm64", "ptep_set_access_flags 0", 0b00UL, 0b00UL)]
    public void UpgradesFlushOnArm64AndInOldX86Mprotect(string kernel, string arch, string upgrade, ulong tlbAfter, ulong iotlbAfter)
    {
        {
            var (result, m) = RunWithMachine(Header(kernel, arch, cpus: 1, extra: "readonly 0 2") + $"thread t\n  {upgrade}\n",
                "dev0: read 0\ncpu0: read 0\nt*1");
            AssertNoViolation(result);
            Assert.True(tlbAfter == Tlb(m), $"{upgrade}: CPU TLB");
            Assert.True(iotlbAfter == Iotlb(m), $"{upgrade}: IOTLB");
            Assert.Equal(1UL, m.State.W[m.State.PteWritable] & 1); // page 0 is writable now
        }
    }

    [Fact]
    public void ChangeProtectionInAGatherRecordsOnlyTheChangedPages()
    {
        var (result, m) = RunWithMachine(Header("6.0", extra: "readonly 1 2") + """
            thread t
              tlb_gather_mmu
              change_protection 0 2 ro
              tlb_finish_mmu
            """, "t*2");
        AssertNoViolation(result);
        int t = 0;
        Assert.Equal(0UL, m.State.W[m.State.GatherStart + t]);      // page 0 was downgraded
        Assert.Equal(0x1000UL, m.State.W[m.State.GatherEnd + t]);  // page 1 was read-only already
    }
}
