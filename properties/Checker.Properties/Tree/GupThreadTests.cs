using Checker.Exploration;
using Checker.Generators;
using Checker.Language;
using Checker.Model;
using Checker.Vocabulary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using static Checker.Properties.Support.Models;

namespace Checker.Properties.Tree;

/// <summary>
/// §7 (issue 12) explicit GUP-fast actors, <c>thread NAME gup K</c> (DESIGN §8.6): a thread whose <c>gup_fast P</c> lines
/// are the walks of §7.2, three steps each (g1 opens the IRQs-off window, g2, g3), on the K-th <c>gup_fast</c> line's mm,
/// with a walker of its own. In explicit mode only such threads walk; §7.6 rules 4 and 5 wait for them as for any walker.
/// </summary>
public sealed class GupThreadTests
{
    // frames 0-1 data, t2 = mm 0's PMD table, shared with mm 1; the unsharer races an explicit walker of mm 1
    private const string Race = """
        arch x86
        pages 2
        hugepage 1
        huge 0 2
        cpus 0
        mm2 shared-pmd
        gup_fast mm 1
        environment explicit
        thread u mm 1
          lock i_mmap
          huge_pmd_unshare 0
          unlock i_mmap
        thread z
          lock i_mmap
          tlb_gather_mmu
          zap_huge_pmd 0
          tlb_finish_mmu 0 1
          set_pmd_at 0
          unlock i_mmap
        thread g gup 0
          gup_fast 0

        """;

    private static string Fixed => Race.Replace("huge_pmd_unshare 0\n", "huge_pmd_unshare 0\n  tlb_remove_table_sync_one\n", StringComparison.Ordinal);

    private static OrderingResult Exhaustive(string text) =>
        Explorer.Check(Compile(text), "g.order", new ExplorationOptions { Strategy = StrategyKind.Exhaustive });

    [Fact]
    public void TheExplicitWalkerTakesThreeStepsAndItsTraceNamesThem()
    {
        var program = Compile(Race);
        var schedule = Schedule(program, "g: gup_fast 0\nu*3\nz*5\ng: gup_fast 0 (g2)");
        AssertViolation(Executor.Run(program, schedule), InvariantId.UseAfterFree, step: 10);
        Assert.Equal("g: gup_fast 0 (g2)", schedule.StepLines()[^1]);
        // a walk that finds mm 1's PUD none ends at g1: the op is done in one step
        var (_, m) = RunWithMachine(Race, "u*2\ng: gup_fast 0");
        Assert.True(m.ThreadDone(2));
        // inside the window the thread stays on its op
        (_, m) = RunWithMachine(Race, "g: gup_fast 0");
        Assert.False(m.ThreadDone(2));
        Assert.Equal(1, m.ThreadGupPhase(2));
    }

    [Fact]
    public void InExplicitModeOnlyTheThreadWalksAndTheSyncFixesTheRace()
    {
        var buggy = Exhaustive(Race);
        Assert.True(buggy.Complete);
        Assert.Equal([InvariantId.UseAfterFree], buggy.Found);
        Assert.DoesNotContain(Compile(Race).Actors, a => a.Kind == ActorKind.Gup); // no generated gup0
        var fixedRun = Exhaustive(Fixed);
        Assert.True(fixedRun.Complete);
        Assert.Empty(fixedRun.Found);
    }

    [Fact]
    public void WithoutTheThreadTheExplicitRaceHasNoWalkerAndPasses()
    {
        // the same file with the walker thread removed: nothing walks, so nothing grabs the reused page
        string noWalker = Race[..Race.IndexOf("thread g gup 0", StringComparison.Ordinal)];
        Assert.Empty(Exhaustive(noWalker).Found);
    }

    [Fact]
    public void AnX86FlushWaitsForTheExplicitWalkerOfItsMmAndArm64DoesNot()
    {
        const string O = "arch x86\npages 1\nhugepage 1\ncpus 1\ngup_fast\nenvironment explicit\nthread f\n  flush_tlb_mm\nthread g gup 0\n  gup_fast 0\n";
        Assert.True(Run(O, "g: gup_fast 0\nf: flush_tlb_mm").Diverged); // IRQs off: the IPI cannot be delivered
        AssertNoViolation(Run(O, "g: gup_fast 0\ng: gup_fast 0 (g2)\ng: gup_fast 0 (g3)\nf: flush_tlb_mm"));
        AssertNoViolation(Run(O.Replace("arch x86", "arch arm64", StringComparison.Ordinal), "g: gup_fast 0\nf: flush_tlb_mm"));
    }

    [Fact]
    public void InGeneratedModeTheThreadWalksBesideTheGeneratedWalkerWithAWalkerOfItsOwn()
    {
        string generated = Race.Replace("environment explicit\n", "", StringComparison.Ordinal);
        var program = Compile(generated);
        Assert.Contains(program.Actors, a => a.Kind == ActorKind.Gup && a.Name == "gup0");
        Assert.Equal(2, program.Tree!.GupWalkers);
        Assert.Equal(1, program.Tree.GupMm[1]); // the thread walks mm 1, the mm of gup_fast line 0
        var (_, m) = RunWithMachine(generated, "g: gup_fast 0\ngup0: gup_fast 0");
        Assert.Equal(1, m.GupPhase(0));
        Assert.Equal(1, m.GupPhase(1));
        Assert.Equal(1, m.ThreadGupPhase(2));
    }

    [Fact]
    public void AnOrderingWithoutGupThreadsKeepsItsWalkers()
    {
        string generated = Race.Replace("environment explicit\n", "", StringComparison.Ordinal);
        var program = Compile(generated[..generated.IndexOf("thread g", StringComparison.Ordinal)]);
        Assert.Equal(1, program.Tree!.GupWalkers);
    }

    [Theory]
    [InlineData("pages 2\nhugepage 1\ngup_fast\nthread g gup 1\n  gup_fast 0\n", "4:1", "is GUP-fast walker 1, but the ordering has 1 'gup_fast' line")]
    [InlineData("pages 2\nhugepage 1\nthread g gup 0\n  gup_fast 0\n", "3:1", "has 0 'gup_fast' lines — add 'gup_fast'")]
    [InlineData("pages 2\ngup_fast\nthread g gup 0\n  read 0\n", "4:3", "read cannot run in GUP-fast thread 'g'")]
    [InlineData("pages 2\ngup_fast\nthread g gup 0\n  mmap_write_lock\n", "4:3", "mmap_write_lock is a kernel op and cannot run in gup thread 'g'")]
    [InlineData("pages 2\ngup_fast\nthread k\n  gup_fast 1\n", "4:3", "gup_fast is a GUP-fast walker's op and cannot run in thread 'k'")]
    [InlineData("pages 2\ngup_fast\ncpus 1\nenvironment explicit\nthread c cpu 0\n  gup_fast 1\n", "6:3", "cannot run in thread 'c'")]
    [InlineData("pages 2\ngup_fast\nthread g gup 0\n  gup_fast 2\n", "4:12", "page 2 is outside the page set")]
    [InlineData("pages 2\ngup_fast\nthread gup0\n  mmap_read_lock\n  mmap_read_unlock\n", "3:1", "thread name 'gup0' is also the name of a generated actor")]
    [InlineData("pages 2\ngup_fast\nthread g gup\n  gup_fast 0\n", "3:", "thread g gup needs an index")]
    public void GupThreadLinesAreDiagnosed(string text, string where, string message)
    {
        var parsed = OrderingParser.Parse(text, "t.order");
        Assert.False(parsed.Ok);
        Assert.Contains(parsed.Diagnostics, d => d.ToString().Contains("t.order:" + where, StringComparison.Ordinal)
            && d.ToString().Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void GupThreadsPrintBackAsWritten()
    {
        var parsed = Parse(Race);
        Assert.Equal(parsed, Parse(parsed.ToString()));
        Assert.Contains("thread g gup 0\n  gup_fast 0\n", parsed.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Every ordering TreeGen makes (explicit GUP-fast threads included) prints back to itself.</summary>
    [Property(MaxTest = 100)]
    public Property TreeOrderingsPrintBackToThemselves() =>
        Prop.ForAll(Arb.From(TreeGen.Ordering()), o =>
        {
            string text = OrderingPrinter.Print(o);
            var back = OrderingParser.Parse(text, OrderingGen.FileName).Ordering;
            return back is not null && OrderingPrinter.Print(back) == text && back.Threads.Count == o.Threads.Count;
        });

    [Fact]
    public void TheTreeGeneratorWritesGupThreads()
    {
        var texts = TreeGen.Text().Sample(200, 1);
        Assert.Contains(texts, t => t.Contains(" gup 0\n  gup_fast ", StringComparison.Ordinal));
    }
}
