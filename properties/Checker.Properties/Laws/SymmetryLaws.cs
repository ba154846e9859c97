using Checker.Exploration;
using Checker.Generators;
using Checker.Model;
using Checker.Vocabulary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Checker.Properties.Laws;

/// <summary>
/// Issue 14: symmetry reduction changes how many states exhaustive search stores, never what it finds. On
/// generated orderings (at most 4 pages, up to 2 CPUs and devices: OrderingGen), the reduced and unreduced
/// searches find the same violated invariants with the same minimal number of environment actions, and every
/// counterexample of the reduced search is a concrete schedule that replays to the same invariant.
/// </summary>
public class SymmetryLaws
{
    private const int Bound = 2;
    private const long Limit = 30_000;

    [Property(MaxTest = 1000, QuietOnSuccess = true)]
    public Property ReducedSearchFindsWhatTheUnreducedOneFinds() =>
        Prop.ForAll(OrderingGen.Arbitrary(), ordering => SameFindings(ordering, Bound));

    /// <summary>Issue 14 (reuse): frames freed together and reused are hashed alike (StateCanonicalizer.Owner); a
    /// reuse costs an environment action of its own, so the law needs bound 3 (cache, reuse, access) on orderings
    /// that free frames with the allocator on and a CPU or device to keep a stale entry.</summary>
    private static readonly OrderingShape Freeing = new(MinDevices: 1)
    {
        AlwaysReuse = true, Emphasis = ["zap_pte_range", "put_page", "pte_clear", "tlb_finish_mmu"],
    };

    [Property(MaxTest = 300, QuietOnSuccess = true)]
    public Property ReducedSearchFindsWhatTheUnreducedOneFindsWhenFreedFramesAreReused() =>
        Prop.ForAll(OrderingGen.Arbitrary(Freeing), ordering => SameFindings(ordering, 3));

    /// <summary>Issue 14, §8: the same law on orderings that use dirty data over page ranges (DirtySymmetryGen: page-cache
    /// and lazy-free ranges, an alias, writeback, pins, MADV_FREE, NUMA hinting, zaps with force_flush and delayed
    /// rmaps), at most 6 pages. Bound 2 as above; bound 3 on a second run below finds the §8 violations that need a
    /// write, a writeback and a second write.</summary>
    [Property(MaxTest = 1000, QuietOnSuccess = true)]
    public Property ReducedSearchFindsWhatTheUnreducedOneFindsOnDirtyData() =>
        Prop.ForAll(DirtySymmetryGen.Arbitrary(), ordering => SameFindings(ordering, Bound));

    /// <summary>As <see cref="ReducedSearchFindsWhatTheUnreducedOneFindsOnDirtyData"/> at bound 3.</summary>
    [Property(MaxTest = 200, QuietOnSuccess = true)]
    public Property ReducedSearchFindsWhatTheUnreducedOneFindsOnDirtyDataAtBound3() =>
        Prop.ForAll(DirtySymmetryGen.Arbitrary(), ordering => SameFindings(ordering, 3));

    private static Property SameFindings(Checker.Language.Ordering ordering, int bound)
    {
        var program = CompiledOrdering.Compile(ordering);
        var reduced = new ExhaustiveExplorer(program, symmetry: true);
        reduced.Run(bound, Limit, CancellationToken.None);
        var plain = new ExhaustiveExplorer(program, symmetry: false);
        plain.Run(bound, Limit, CancellationToken.None);
        bool both = reduced.Complete && plain.Complete;
        var property = (!both || reduced.States <= plain.States)
            .Label($"reduced {reduced.States} states, unreduced {plain.States}");
        for (int id = 0; both && id < Invariant.Count; id++)
        {
            var r = reduced.Found[id];
            var p = plain.Found[id];
            string name = Invariant.NameOf((InvariantId)id);
            property = property.And(((r is null) == (p is null)).Label($"{name}: found by reduced {r is not null}, unreduced {p is not null}"));
            if (r is null || p is null) continue;
            property = property.And((reduced.FoundEnvironmentActions[id] == plain.FoundEnvironmentActions[id])
                .Label($"{name}: {reduced.FoundEnvironmentActions[id]} environment actions reduced, {plain.FoundEnvironmentActions[id]} unreduced"));
            var schedule = new Schedule(program, [.. r]);
            var run = Executor.Run(program, schedule);
            property = property.And((run.Violation?.Id == (InvariantId)id && run.Violation.Step == r.Length - 1)
                    .Label($"{name}: the reduced counterexample replays concretely to it at its last step"))
                .And((schedule.EnvironmentActions == plain.FoundEnvironmentActions[id])
                    .Label($"{name}: the replayed schedule has {schedule.EnvironmentActions} environment actions"));
        }
        return property
            .Classify(reduced.Symmetry.Reduces, "symmetry reduced something")
            .Classify(reduced.Symmetry.PageClasses.Length > 0, "pages reduced")
            .Classify(reduced.States < plain.States, "fewer states")
            .Classify(!both, "a search hit its state limit")
            .Classify(Array.Exists(plain.Found, f => f is not null), "some invariant violated")
            .Classify(program.AllocatorActor >= 0, "allocator on")
            .Classify(program.Dirty is not null, "§8 dirty data")
            .Classify(program.Dirty is { } d && Array.Exists(d.AliasOf, q => q >= 0), "§8 alias")
            .Classify(plain.Found[(int)InvariantId.LostDirty] is not null, "lost-dirty found");
    }
}
