using Checker.Exploration;
using Checker.Generators;
using Checker.Language;
using Checker.Model;
using Checker.Vocabulary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Properties.Laws;

/// <summary>
/// §7 laws 16-21, the page-table tree, over <see cref="TreeGen"/> orderings and sampled schedules: an x86 CPU flush
/// leaves no walk entry of the mm; an arm64 last-level flush (<c>flush_tlb_page</c>) leaves every walk entry; a walk
/// through a cached pointer reads the table's current content; a table no walk entry or walker can reach is freed
/// without walk-after-free; GUP-fast never reads a table the mmu_gather freed; with the tree on and no §7 op, an x86
/// ordering runs every schedule as the one-level model does. Each has a companion test with a planted bug.
/// </summary>
public class TreeLaws(ITestOutputHelper output)
{
    private const int SchedulesPerCase = 10;
    private const int Bound = 6;

    private static Arbitrary<Ordering> Orderings(bool directFrees = true, bool gup = true, string? arch = null) =>
        Arb.From(TreeGen.Ordering(directFrees, gup, arch));

    /// <summary>Runs sampled schedules; <paramref name="check"/> sees the machine before and after each step and
    /// returns a failure text or null.</summary>
    internal static Property StepLaw(Arbitrary<Ordering> orderings, StepFunction step, Func<Machine, Choice, Snapshot, uint, string?> check, string what) =>
        Prop.ForAll(orderings, Arb.From(Gen.Choose(0, int.MaxValue)), (ordering, seed) =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var machine = new Machine(program);
            string? failure = null;
            foreach (var schedule in Steps.Sampled(program, seed, SchedulesPerCase, Bound))
            {
                machine.Reset(Executor.UnlimitedBudget);
                for (int k = 0; k < schedule.Count && failure is null; k++)
                {
                    var choice = schedule.Steps[k];
                    if (!machine.CanStep(choice)) break;
                    var before = Snapshot.Of(machine, choice);
                    uint violated = step(machine, choice);
                    failure = check(machine, choice, before, violated);
                    if (failure is not null) failure = $"step {k + 1} ({schedule.StepLines()[k]}): {failure}\n{ordering}\nschedule:\n{string.Join("\n", schedule.StepLines().Take(k + 1))}";
                    if (violated != 0) break;
                }
                if (failure is not null) break;
            }
            return (failure is null).Label(failure ?? what);
        });

    /// <summary>What a law needs of the state before a step.</summary>
    internal sealed record Snapshot(OpCode? Op, int[] Walks, ulong[] Leaves, int[] Owners)
    {
        public static Snapshot Of(Machine m, Choice choice)
        {
            var s = m.State;
            var a = m.Program.Actors[choice.Actor];
            OpCode? op = a.Kind == ActorKind.Thread && !m.ThreadDone(a.Thread) && m.Program.Ops[m.NextOpIndex(a.Thread)].Condition < 0
                ? m.Program.Ops[m.NextOpIndex(a.Thread)].Code : null;
            var leaves = new ulong[s.Cpus];
            for (int c = 0; c < s.Cpus; c++) leaves[c] = s.W[s.TlbValid + c];
            var owners = new int[s.MaxFrames];
            Array.Copy(s.I, s.FrameOwner, owners, 0, s.MaxFrames);
            return new Snapshot(op, UserWalks(s), leaves, owners);
        }
    }

    private static int[] UserWalks(ModelState s)
    {
        var tree = s.Tree!;
        var walks = new int[s.Cpus * (1 + tree.Regions)];
        for (int c = 0; c < s.Cpus; c++)
        {
            walks[c * (1 + tree.Regions)] = s.I[s.TlbW2 + c];
            for (int r = 0; r < tree.Regions; r++) walks[c * (1 + tree.Regions) + 1 + r] = s.I[s.TlbW1 + c * tree.Regions + r];
        }
        return walks;
    }

    private static bool Ran(Machine m, Choice choice, Snapshot before) =>
        before.Op is not null && m.Program.Actors[choice.Actor].Kind == ActorKind.Thread;

    // ---- law 16: an x86 flush leaves no walk entry of the mm ----

    internal static Property X86FlushLeavesNoWalkEntry(StepFunction step) => StepLaw(Orderings(arch: "x86"), step, (m, choice, before, _) =>
    {
        if (!Ran(m, choice, before) || before.Op is not (OpCode.FlushTlbRange or OpCode.FlushTlbPage or OpCode.FlushTlbMm or OpCode.PtepClearFlush)) return null;
        foreach (int w in UserWalks(m.State))
            if (w >= 0) return $"an x86 {before.Op} left a walk entry to t{w}";
        return null;
    }, "an x86 CPU flush leaves no walk entry of the mm");

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property AnX86FlushLeavesNoWalkEntryOfTheMm() => X86FlushLeavesNoWalkEntry(Steps.Real);

    [Fact]
    public void TheX86WalkLawCatchesAFlushThatKeepsWalkEntries()
    {
        string? report = Falsify.Run(X86FlushLeavesNoWalkEntry(KeepsWalkEntries), maxTest: 300);
        Assert.True(report is not null, "the x86 walk-entry law did not catch a flush that keeps the walk entries");
        output.WriteLine(report);
    }

    // ---- law 17: an arm64 flush_tlb_page (VALE1IS) leaves every walk entry ----

    internal static Property Arm64LastLevelFlushKeepsWalks(StepFunction step) => StepLaw(Orderings(arch: "arm64"), step, (m, choice, before, _) =>
    {
        if (!Ran(m, choice, before) || before.Op != OpCode.FlushTlbPage) return null;
        var now = UserWalks(m.State);
        for (int k = 0; k < now.Length; k++)
            if (now[k] != before.Walks[k]) return $"arm64 flush_tlb_page changed walk entry {k}: t{before.Walks[k]} -> t{now[k]}";
        return null;
    }, "an arm64 flush_tlb_page leaves every walk entry");

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property AnArm64LastLevelFlushLeavesEveryWalkEntry() => Arm64LastLevelFlushKeepsWalks(Steps.Real);

    [Fact]
    public void TheArm64WalkLawCatchesALastLevelFlushThatDropsWalkEntries()
    {
        string? report = Falsify.Run(Arm64LastLevelFlushKeepsWalks(DropsWalkEntriesOnPageFlush), maxTest: 300);
        Assert.True(report is not null, "the arm64 law did not catch a flush_tlb_page that drops walk entries");
        output.WriteLine(report);
    }

    // ---- law 18: a walk through a cached pointer reads the table's current content ----

    internal static Property WalkReadsTheTablesContent(StepFunction step) => StepLaw(Orderings(), step, (m, choice, before, _) =>
    {
        var a = m.Program.Actors[choice.Actor];
        if (a.Kind != ActorKind.Cpu || choice.Page >= m.Program.Pages) return null;
        var s = m.State;
        var tree = s.Tree!;
        int c = a.Unit, p = choice.Page;
        ulong bit = 1UL << p;
        if ((before.Leaves[c] & bit) != 0 || (s.W[s.TlbValid + c] & bit) == 0) return null; // not a fill
        int table = s.I[s.TlbW1 + c * tree.Regions + tree.RegionOf(p)];
        if (table < 0) return null; // a huge leaf
        int expected = TableContent(s, tree, table, p);
        int got = s.I[s.TlbFrame + c * s.Pages + p];
        return got == expected ? null : $"cpu{c} filled page {p} with f{got}, but its cached table t{table} maps f{expected}";
    }, "a walk through a cached pointer reads the table's current content");

    /// <summary>The reference: PTE p of a table, from the region it is linked at or from what it held when unlinked.</summary>
    private static int TableContent(ModelState s, TreeLayout tree, int table, int p)
    {
        int k = p % tree.Span;
        for (int r = 0; r < tree.Regions; r++)
            if (s.I[s.PmdKind + r] == ModelState.PmdTable && s.I[s.PmdFrame + r] == table) return s.I[s.PteFrame + r * tree.Span + k];
        return s.I[s.DetFrame + (table - tree.TableBase) * tree.Span + k];
    }

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property AWalkThroughACachedPointerReadsTheTablesCurrentContent() => WalkReadsTheTablesContent(Steps.Real);

    [Fact]
    public void TheCachedPointerLawCatchesAWalkThatReadsTheLiveTreeInstead()
    {
        string? report = Falsify.Run(WalkReadsTheTablesContent(ReadsLiveTree), maxTest: 300);
        Assert.True(report is not null, "the cached-pointer law did not catch a walk that reads the live tree");
        output.WriteLine(report);
    }

    // ---- law 19: a table nothing can reach is freed without walk-after-free ----

    internal static Property UnreachableTablesFreeSafely(StepFunction step) =>
        Prop.ForAll(Orderings(), Arb.From(Gen.Choose(0, int.MaxValue)), (ordering, seed) =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var machine = new Machine(program);
            string? failure = null;
            foreach (var schedule in Steps.Sampled(program, seed, SchedulesPerCase, Bound))
            {
                machine.Reset(Executor.UnlimitedBudget);
                var reachableAtFree = new HashSet<int>();
                for (int k = 0; k < schedule.Count && failure is null; k++)
                {
                    var choice = schedule.Steps[k];
                    if (!machine.CanStep(choice)) break;
                    var before = Snapshot.Of(machine, choice);
                    var reach = Reachable(machine.State);
                    uint violated = step(machine, choice);
                    var s = machine.State;
                    var tree = s.Tree!;
                    for (int t = tree.TableBase; t < tree.TableBase + tree.Slots; t++)
                        if (before.Owners[t] == ModelState.OwnerMm && s.I[s.FrameOwner + t] == ModelState.OwnerFree && reach.Contains(t)) reachableAtFree.Add(t);
                    if ((violated & (1u << (int)InvariantId.WalkAfterFree)) != 0)
                    {
                        int frame = machine.Site(InvariantId.WalkAfterFree).Frame;
                        if (!reachableAtFree.Contains(frame))
                            failure = $"walk-after-free on t{frame}, which no walk entry or walker could reach when it was freed\n{ordering}\nschedule:\n{string.Join("\n", schedule.StepLines().Take(k + 1))}";
                    }
                    if (violated != 0) break;
                }
                if (failure is not null) break;
            }
            return (failure is null).Label(failure ?? "a table no walk entry or walker can reach is freed without walk-after-free");
        });

    /// <summary>Table frames some CPU or device walk entry, or some GUP-fast walker, points at.</summary>
    private static HashSet<int> Reachable(ModelState s)
    {
        var tree = s.Tree!;
        var set = new HashSet<int>();
        for (int k = s.TlbW2; k < s.IotlbW1k + s.Devices * tree.KernelRegions; k++)
            if (s.I[k] >= 0) set.Add(s.I[k]);
        for (int g = 0; g < tree.GupWalkers; g++)
            if (s.I[s.GupPhase + g] != 0) set.Add(s.I[s.GupTable + g]);
        return set;
    }

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property ATableNoWalkEntryOrWalkerCanReachIsFreedWithoutWalkAfterFree() => UnreachableTablesFreeSafely(Steps.Real);

    [Fact]
    public void TheUnreachableTableLawCatchesAWalkEntryCreatedAfterTheFree()
    {
        string? report = Falsify.Run(UnreachableTablesFreeSafely(PointsAtFreedTables), maxTest: 300);
        Assert.True(report is not null, "the unreachable-table law did not catch a walk entry created after the free");
        output.WriteLine(report);
    }

    // ---- law 20: GUP-fast never reads a table the mmu_gather freed ----

    internal static Property GupNeverReadsAGatherFreedTable(StepFunction step) => StepLaw(
        Arb.From(TreeGen.Text(directFrees: false).Select(t => "gup_fast\n" + t).Select(text => OrderingParser.Parse(text, "g.order").Ordering!)),
        step, (m, choice, _, violated) =>
            IsGupWalker(m.Program.Actors[choice.Actor]) && (violated & (1u << (int)InvariantId.WalkAfterFree)) != 0
                ? "GUP-fast read a table freed through the gather (RCU or the IPI should have waited for it)" : null,
        "GUP-fast never reads a table the mmu_gather freed");

    /// <summary>A generated walker, or (issue 12) an explicit <c>thread NAME gup K</c>.</summary>
    private static bool IsGupWalker(Actor a) => a.Kind == ActorKind.Gup || a.Kind == ActorKind.Thread && a.UnitKind == ThreadKind.Gup;

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property GupFastNeverReadsATableTheGatherFreed() => GupNeverReadsAGatherFreedTable(Steps.Real);

    [Fact]
    public void TheGupLawCatchesAnRcuFreeThatDoesNotWait()
    {
        string? report = Falsify.Run(GupNeverReadsAGatherFreedTable(RcuDoesNotWait), maxTest: 500);
        Assert.True(report is not null, "the GUP-fast law did not catch an RCU free that does not wait for the walker");
        output.WriteLine(report);
    }

    // ---- law 21: the tree with no §7 op runs an x86 ordering as the one-level model does ----

    internal static Property TreeWithoutOpsAgreesWithTheFlatModel(StepFunction treeStep) =>
        Prop.ForAll(OrderingGen.Arbitrary(new OrderingShape(MinCpus: 1)), Arb.From(Gen.Choose(0, int.MaxValue)), (ordering, seed) =>
        {
            string text = ordering.ToString().Replace("arch arm64", "arch x86", StringComparison.Ordinal);
            var flatOrdering = OrderingParser.Parse(text, "f.order").Ordering!;
            var treeOrdering = OrderingParser.Parse("pagetables\n" + text, "t.order").Ordering!;
            var flat = new Machine(CompiledOrdering.Compile(flatOrdering));
            var tree = new Machine(CompiledOrdering.Compile(treeOrdering));
            string? failure = null;
            foreach (var schedule in Steps.Sampled(flat.Program, seed, SchedulesPerCase, Bound))
            {
                flat.Reset(Executor.UnlimitedBudget);
                tree.Reset(Executor.UnlimitedBudget);
                for (int k = 0; k < schedule.Count && failure is null; k++)
                {
                    var choice = schedule.Steps[k];
                    if (!flat.CanStep(choice)) break;
                    uint a = flat.Step(choice), b = treeStep(tree, choice);
                    var fs = flat.State;
                    var ts = tree.State;
                    for (int c = 0; c < fs.Cpus && failure is null; c++)
                        if (fs.W[fs.TlbValid + c] != ts.W[ts.TlbValid + c]) failure = $"cpu{c} TLB differs after step {k + 1}";
                    if (a != b) failure = $"violations differ after step {k + 1}: {a} vs {b}";
                    if (failure is not null) failure += $"\n{text}\nschedule:\n{string.Join("\n", schedule.StepLines().Take(k + 1))}";
                    if (a != 0) break;
                }
                if (failure is not null) break;
            }
            return (failure is null).Label(failure ?? "with the tree on and no §7 op, an x86 ordering runs as the one-level model");
        });

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property TheTreeWithoutTreeOpsRunsAsTheOneLevelModel() => TreeWithoutOpsAgreesWithTheFlatModel(Steps.Real);

    [Fact]
    public void TheAgreementLawCatchesATreeFlushThatForgetsLeaves()
    {
        string? report = Falsify.Run(TreeWithoutOpsAgreesWithTheFlatModel(PageFlushKeepsLeaf), maxTest: 300);
        Assert.True(report is not null, "the agreement law did not catch a tree flush_tlb_page that keeps the leaf");
        output.WriteLine(report);
    }

    // ---- planted bugs (around the engine's step) ----

    private static OpCode? NextOp(Machine m, Choice choice)
    {
        var a = m.Program.Actors[choice.Actor];
        return a.Kind == ActorKind.Thread && !m.ThreadDone(a.Thread) ? m.Program.Ops[m.NextOpIndex(a.Thread)].Code : null;
    }

    /// <summary>Planted: the flush leaves the walk entries (restored after the step).</summary>
    private static readonly StepFunction KeepsWalkEntries = (m, choice) =>
    {
        var s = m.State;
        bool flush = NextOp(m, choice) is OpCode.FlushTlbRange or OpCode.FlushTlbPage or OpCode.FlushTlbMm or OpCode.PtepClearFlush;
        var saved = UserWalks(s);
        uint v = m.Step(choice);
        if (flush) Restore(s, saved);
        return v;
    };

    private static void Restore(ModelState s, int[] walks)
    {
        var tree = s.Tree!;
        for (int c = 0; c < s.Cpus; c++)
        {
            s.I[s.TlbW2 + c] = walks[c * (1 + tree.Regions)];
            for (int r = 0; r < tree.Regions; r++) s.I[s.TlbW1 + c * tree.Regions + r] = walks[c * (1 + tree.Regions) + 1 + r];
        }
    }

    /// <summary>Planted: flush_tlb_page drops every walk entry (the x86 column on arm64).</summary>
    private static readonly StepFunction DropsWalkEntriesOnPageFlush = (m, choice) =>
    {
        var s = m.State;
        bool flush = NextOp(m, choice) == OpCode.FlushTlbPage;
        uint v = m.Step(choice);
        if (flush)
            for (int k = s.TlbW2; k < s.TlbW1k; k++) s.I[k] = -1;
        return v;
    };

    /// <summary>Planted: a walk fills the leaf from the live PTE instead of the cached table.</summary>
    private static readonly StepFunction ReadsLiveTree = (m, choice) =>
    {
        var s = m.State;
        var a = m.Program.Actors[choice.Actor];
        ulong before = a.Kind == ActorKind.Cpu ? s.W[s.TlbValid + a.Unit] : 0;
        uint v = m.Step(choice);
        if (a.Kind == ActorKind.Cpu && choice.Page < s.Pages)
        {
            ulong bit = 1UL << choice.Page;
            if ((before & bit) == 0 && (s.W[s.TlbValid + a.Unit] & bit) != 0)
                s.I[s.TlbFrame + a.Unit * s.Pages + choice.Page] = s.I[s.PteFrame + choice.Page];
        }
        return v;
    };

    /// <summary>Planted: after a table is freed, CPU 0's walk entry for its region points at it (a walk that read a
    /// stale PMD entry).</summary>
    private static readonly StepFunction PointsAtFreedTables = (m, choice) =>
    {
        var s = m.State;
        var tree = s.Tree!;
        var owners = new int[tree.Slots];
        for (int k = 0; k < tree.Slots; k++) owners[k] = s.I[s.FrameOwner + tree.TableBase + k];
        uint v = m.Step(choice);
        for (int k = 1; k <= tree.Regions && s.Cpus > 0; k++)
            if (owners[k] == ModelState.OwnerMm && s.I[s.FrameOwner + tree.TableBase + k] == ModelState.OwnerFree)
                s.I[s.TlbW1 + (k - 1)] = tree.TableBase + k;
        return v;
    };

    /// <summary>Planted: RCU frees a batched table at once, without waiting for the walkers in their window.</summary>
    private static readonly StepFunction RcuDoesNotWait = (m, choice) =>
    {
        var s = m.State;
        var tree = s.Tree!;
        uint v = m.Step(choice);
        for (int k = 0; k < tree.Slots; k++)
        {
            if (s.I[s.RcuWalkers + k] == 0) continue;
            s.I[s.RcuWalkers + k] = 0;
            s.I[s.FrameOwner + tree.TableBase + k] = ModelState.OwnerFree;
        }
        return v;
    };

    /// <summary>Planted: with the tree on, flush_tlb_page leaves the page's leaf entry on CPU 0.</summary>
    private static readonly StepFunction PageFlushKeepsLeaf = (m, choice) =>
    {
        var s = m.State;
        bool flush = NextOp(m, choice) == OpCode.FlushTlbPage;
        ulong valid = s.Cpus > 0 ? s.W[s.TlbValid] : 0;
        uint v = m.Step(choice);
        if (flush && s.Cpus > 0) s.W[s.TlbValid] = valid;
        return v;
    };
}
