using Checker.Language;
using Xunit;
using Checker.Vocabulary;

namespace Checker.Properties.Language;

/// <summary>Every class of bad input gets <c>FILE:LINE:COL: error: what is wrong — what to do</c>, with the exact
/// message and position; all diagnostics are collected; nothing is returned to execute.</summary>
public class ParserDiagnosticTests
{
    private static Diagnostic Single(string text)
    {
        var result = OrderingParser.Parse(text, "bad.order");
        Assert.Null(result.Ordering);
        return Assert.Single(result.Diagnostics);
    }

    private static void AssertDiagnostic(string text, string expected) => Assert.Equal(expected, Single(text).ToString());

    [Fact]
    public void UnknownOp() => AssertDiagnostic("""
        pages 2
        thread t
          pte_clr 0
        """, "bad.order:3:3: error: unknown op 'pte_clr' — did you mean 'pte_clear'?");

    [Fact]
    public void UnknownHeader() => AssertDiagnostic("""
        kernal 6.0
        thread t
          flush_tlb_mm
        """, "bad.order:1:1: error: unknown header 'kernal' — did you mean 'kernel'?");

    [Fact]
    public void MissingArgument() => AssertDiagnostic("""
        thread t
          pte_clear
        """, "bad.order:2:3: error: pte_clear needs a range (A B or P) — write e.g. 'pte_clear 0 2'");

    [Fact]
    public void OneArgumentTooMany() => AssertDiagnostic("""
        thread t
          pte_clear 0 1 2
        """, "bad.order:2:17: error: unexpected '2' after pte_clear — pte_clear takes a range (A B or P); remove the extra argument");

    [Fact]
    public void ArgumentOfTheWrongType() => AssertDiagnostic("""
        thread t
          flush_tlb_range zero 2
        """, "bad.order:2:19: error: expected a page number, ~0 or a hex address after flush_tlb_range, found 'zero' — flush_tlb_range takes a range (A B or P), e.g. 'flush_tlb_range 0 2'");

    [Fact]
    public void ProtectionOfTheWrongKind() => AssertDiagnostic("""
        thread t
          change_protection 0 2 rx
        """, "bad.order:2:25: error: expected 'ro' or 'rw', found 'rx' — 'ro' downgrades, 'rw' upgrades");

    [Fact]
    public void HeaderArgumentOfTheWrongType() => AssertDiagnostic("""
        pages many
        thread t
          flush_tlb_mm
        """, "bad.order:1:7: error: pages must be a number from 1 to 64, found 'many' — the model maps at most 64 user pages (one bit each in a 64-bit mask)");

    [Fact]
    public void RangeEndOutsideThePageSet() => AssertDiagnostic("""
        pages 4
        thread t
          pte_clear 0 9
        """, "bad.order:3:15: error: range end 9 of pte_clear is beyond the page set (pages 4) — page-number bounds go up to 4; write ~0 or a hex address for a deliberately strange range, or raise 'pages'");

    [Fact]
    public void SinglePageOutsideThePageSet() => AssertDiagnostic("""
        pages 4
        thread t
          flush_tlb_page 4
        """, "bad.order:3:18: error: page 4 is outside the page set (pages 4) — use a page from 0 to 3, or raise 'pages'");

    [Fact]
    public void TildeZeroAndHexBoundsAreNeverOutsideThePageSet() =>
        Assert.True(OrderingParser.Parse("pages 2\nsecondary sva amd\nthread t\n  invalidate_range ~0 ~0\n  flush_tlb_range 0x0 0xffff000\n", "ok.order").Ok);

    [Fact]
    public void OpNotInTheProfile() => AssertDiagnostic("""
        kernel 6.6
        thread t
          invalidate_range_start 0 2
          invalidate_range_only_end 0 2
        """, "bad.order:4:3: error: invalidate_range_only_end does not exist in kernel 6.6: it needs rule invalidate-range-only-end (4.15-6.5; 0f10851ea475, 4645b9fe84bf (v4.15); until ec8832d007cb (v6.6)) — use invalidate_range_end, or a release from 4.15 to 6.5");

    [Fact]
    public void ConditionNotInTheRelease() => AssertDiagnostic("""
        kernel 4.12
        thread t
          if tlb_flush_nested flush_tlb_mm
        """, "bad.order:3:6: error: tlb_flush_nested does not exist in kernel 4.12: it needs rule tlb-flush-pending-counter (4.13+; 16af97dc5a89, 99baac21e458 (v4.13)) — test another condition, or write a release where it exists");

    [Fact]
    public void ReleaseThatNeverExisted() => AssertDiagnostic("""
        kernel 4.21
        thread t
          flush_tlb_mm
        """, "bad.order:1:8: error: there is no mainline release 4.21: 4.20 was followed by 5.0 — write a mainline release from 3.10 to 6.19, e.g. 'kernel 5.10' ('checker list' prints the release rules)");

    [Fact]
    public void ReleaseOlderThanModelled() => AssertDiagnostic("""
        kernel 3.9
        thread t
          flush_tlb_mm
        """, "bad.order:1:8: error: kernel 3.9 is older than the oldest release modelled (3.10) — write a mainline release from 3.10 to 6.19, e.g. 'kernel 5.10' ('checker list' prints the release rules)");

    [Fact]
    public void ReleaseNewerThanTheTableIsAWarningAndRunsAsTheNewest()
    {
        var result = OrderingParser.Parse("kernel 7.2\nthread t\n  flush_tlb_mm\n", "new.order");
        Assert.True(result.Ok);
        var d = Assert.Single(result.Diagnostics);
        Assert.True(d.IsWarning);
        Assert.Equal("new.order:1:8: warning: kernel 7.2 is newer than the newest release the rule table knows (6.19) — it is modelled as 6.19; check that no rule changed since", d.ToString());
        Assert.Equal(RuleSet.For(KernelRelease.NewestKnown), result.Ordering!.Rules);
    }

    [Theory]
    [InlineData("6.0", 6, 0, 0)]
    [InlineData("5.10", 5, 10, 0)]
    [InlineData("4.19.300", 4, 19, 300)]
    [InlineData("3.10", 3, 10, 0)]
    public void ReleasesParseAsWrittenAndPrintBack(string text, int major, int minor, int patch)
    {
        Assert.True(KernelRelease.TryParse(text, out var r, out _));
        Assert.Equal(new KernelRelease(major, minor, patch), r);
        Assert.Equal(text, r.ToString());
    }

    [Theory]
    [InlineData("6")]
    [InlineData("6.")]
    [InlineData("v6.6")]
    [InlineData("6.6-rc1")]
    [InlineData("06.6")]
    [InlineData("6.6.1.1")]
    [InlineData("5.20")]
    [InlineData("2.6")]
    public void NonReleasesAreRejected(string text) => Assert.False(KernelRelease.TryParse(text, out _, out _));

    [Fact]
    public void UnlockWithoutLock() => AssertDiagnostic("""
        thread t
          ptl_unlock
        """, "bad.order:2:3: error: ptl_unlock without a matching ptl_lock in thread 't' — take the lock earlier in the thread, or remove the unlock");

    [Fact]
    public void LockTakenTwice()
    {
        var result = OrderingParser.Parse("""
            thread t
              lock i_mmap
              lock i_mmap
              unlock i_mmap
            """, "bad.order");
        Assert.Equal("bad.order:3:3: error: lock i_mmap while thread 't' already holds lock 'i_mmap' (taken at line 2) — release it first; taking it twice would deadlock",
            Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void LockHeldAtTheEnd() => AssertDiagnostic("""
        thread t
          mmap_read_lock
          flush_tlb_mm
        """, "bad.order:2:3: error: thread 't' ends holding mmap_lock (taken here) — add mmap_read_unlock before the thread ends");

    [Fact]
    public void ZapWithoutAGather() => AssertDiagnostic("""
        thread t
          zap_pte_range 0 2
        """, "bad.order:2:3: error: zap_pte_range without an active mmu_gather in thread 't' — call tlb_gather_mmu (or tlb_gather_mmu_fullmm) first");

    [Fact]
    public void DuplicateThreadName() => AssertDiagnostic("""
        thread t
          flush_tlb_mm
        thread t
          flush_tlb_mm
        """, "bad.order:3:1: error: duplicate thread name 't' (first at line 1) — give each thread its own name");

    [Fact]
    public void MissingThread() => AssertDiagnostic("""
        ordering nothing to run
        kernel 6.0
        """, "bad.order:2:1: error: no thread in this ordering — add a 'thread NAME' block with the path's ops, indented under it");

    [Fact]
    public void OpOutsideAThread() => AssertDiagnostic("""
        kernel 6.0
          flush_tlb_mm
        thread t
          flush_tlb_mm
        """, "bad.order:2:3: error: 'flush_tlb_mm' is indented but no thread has started — start a block with 'thread NAME' above it, or remove the indentation if it is a header line");

    [Fact]
    public void FinishWithoutItsRangeUnder414() => AssertDiagnostic("""
        kernel 4.14
        thread t
          tlb_gather_mmu
          tlb_finish_mmu
        """, "bad.order:4:3: error: tlb_finish_mmu needs its range under kernel 4.14 — in 4.13-5.1 tlb_finish_mmu(tlb, start, end) flushes the caller's range when gathers nest; write 'tlb_finish_mmu A B'");

    [Fact]
    public void ExplicitThreadOnACpuThatDoesNotExist() => AssertDiagnostic("""
        cpus 1
        environment explicit
        thread c cpu 1
          read 0
        """, "bad.order:3:1: error: thread 'c' runs on cpu 1, but the header says 'cpus 1' — use cpu 0, or raise 'cpus'");

    [Theory]
    [InlineData("secondary sva amd\nsecondary shadow\nenvironment explicit\nthread s shadow 0\n  fault 0\n", true)]  // the 0th shadow line
    [InlineData("secondary sva amd\nsecondary shadow\nenvironment explicit\nthread s shadow 1\n  fault 0\n", true)]  // the 1st secondary line, a shadow
    [InlineData("secondary sva amd\nsecondary shadow\nenvironment explicit\nthread d device 1\n  read 0\n", false)] // the 1st secondary line is no device
    [InlineData("secondary sva amd\nenvironment explicit\nthread d device 1\n  read 0\n", false)]
    public void ExplicitSecondaryIndicesCountByKindOrOverAllSecondaryLines(string text, bool valid)
    {
        var result = OrderingParser.Parse(text, "bad.order");
        Assert.Equal(valid, result.Ok);
        if (valid)
        {
            var program = Checker.Model.CompiledOrdering.Compile(result.Ordering!);
            Assert.Equal(0, program.Threads[0].Unit); // both readings name the one shadow
        }
    }

    [Fact]
    public void EnvironmentAccessInAKernelThread() => AssertDiagnostic("""
        thread t
          write 0
        """, "bad.order:2:3: error: write is an environment access and cannot run in kernel thread 't' — put it in an explicit thread ('thread NAME cpu K', 'device K' or 'shadow K')");

    [Fact]
    public void UnknownInvariantInExpect() => AssertDiagnostic("""
        expect violation stale-secondary
        thread t
          flush_tlb_mm
        """, "bad.order:1:18: error: unknown invariant 'stale-secondary' — did you mean 'stale-secondary-after-flush'?");

    [Fact]
    public void EveryDiagnosticIsCollectedInFileOrder()
    {
        var result = OrderingParser.Parse("""
            kernel 6.6
            kernal 6.0
            thread a
              ptl_lock
              invalidate_range_only_end 0 2
              pte_clear 0 99
            thread a
              zap_pte_range 0 1
            """, "bad.order");
        Assert.Null(result.Ordering);
        var lines = new List<(int, int)>();
        foreach (var d in result.Diagnostics) lines.Add((d.Line, d.Column));
        Assert.Equal([(2, 1), (4, 3), (5, 3), (6, 15), (7, 1), (8, 3)], lines);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n\n")]
    [InlineData("thread")]
    [InlineData("thread t cpu")]
    [InlineData("thread t\n  if")]
    [InlineData("thread t\n  if pte_none\n")]
    [InlineData("thread t\n  pte_move 0 2")]
    [InlineData("thread t\n  flush_tlb_range 0x 1")]
    [InlineData("thread t\n  flush_tlb_range 0xfffffffffffffffff 1")]
    [InlineData("thread t\n  flush_tlb_range 99999999999 1")]
    [InlineData("secondary sva")]
    [InlineData("expect violation")]
    [InlineData("\tthread t")]
    public void MalformedInputGivesDiagnosticsNotExceptions(string text)
    {
        var result = OrderingParser.Parse(text, "bad.order");
        Assert.False(result.Ok);
        Assert.NotEmpty(result.Diagnostics);
        foreach (var d in result.Diagnostics) Assert.Matches(@"^bad\.order:\d+:\d+: error: .+ — .+$", d.ToString());
    }
}
