using System.Collections.Immutable;
using System.Diagnostics;
using Checker.Exploration;
using Checker.Language;
using Checker.Model;
using Checker.Text;
using Checker.Vocabulary;

namespace Checker.Repair;

/// <summary>
/// <c>checker repair</c>'s engine (issue 15): the cheapest edit of an ordering that makes it pass, found by a
/// counterexample-guided loop in the manner of fence-insertion tools. A violating schedule becomes the set of
/// candidate edits (<see cref="RepairCandidates"/>) whose edited ordering, replaying that schedule
/// (<see cref="EditedOrdering.Removes"/>), no longer violates anything; a set of edits hitting every counterexample
/// so far, cheapest first (<see cref="RepairCost"/>), is verified by a complete exhaustive search at the bound and
/// then the default strategy's pct schedules; a violation found there is one more counterexample, and the loop goes
/// on. Among repairs of equal cost the one that puts each inserted secondary invalidation right after a CPU flush,
/// over the range that flush covers, comes first (the seed's rule: secondary TLBs are invalidated at the same
/// moments as the CPU TLB), then the lowest edit in a fixed text order, so runs are deterministic.
/// </summary>
internal static class Repairer
{
    private const int MaxHittingSets = 4000;

    public static RepairResult Repair(Ordering original, string file, RepairOptions options, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var run = new Run(original, file, options, cancel, clock);
        return run.Go();
    }

    /// <summary>One repair run's state.</summary>
    private sealed class Run(Ordering original, string file, RepairOptions options, CancellationToken cancel, Stopwatch clock)
    {
        private readonly List<AbstractCounterexample> cexs = [];
        private readonly List<HashSet<int>> hits = [];
        private readonly HashSet<string> rejected = [];
        private readonly Dictionary<string, (EditedOrdering? Edited, RepairCost Cost)> sets = [];
        private List<RepairEdit> candidates = [];
        private EditedOrdering?[] single = [];
        private long states, schedules;
        private int rounds, verified;
        private string? note;

        public RepairResult Go()
        {
            var unedited = EditedOrdering.Apply(original, []);
            if (!unedited.Compile(file)) throw new InvalidOperationException("the ordering does not survive printing and parsing again");
            var before = CostOf(unedited, 0);
            var check = Verify(unedited, out var found);
            if (check == Outcome.Pass)
                return Optimized(Result(RepairStatus.AlreadyPasses, before, null, []), []);
            if (check == Outcome.Incomplete)
                return Result(RepairStatus.NotEstablished, before, null, []);
            foreach (var c in found) Add(AbstractCounterexample.Of(c, unedited, 0));

            candidates = RepairCandidates.For(original);
            single = new EditedOrdering?[candidates.Count];
            for (int i = 0; i < candidates.Count; i++)
            {
                var edited = EditedOrdering.Apply(original, [candidates[i]]);
                single[i] = edited.Compile(file) ? edited : null;
            }

            for (int done = 0; ; )
            {
                for (; done < cexs.Count; done++)
                {
                    var hit = Hits(cexs[done]);
                    // issue 15: where no single edit removes the counterexample outright, an edit that removes its
                    // violation (another may take its place) hits it: the other violation is the next counterexample,
                    // and a set of edits (a helper change and an insert, say) removes both
                    if (hit.Count == 0) hit = Hits(cexs[done], sameInvariantOnly: true);
                    hits.Add(hit);
                }
                for (int c = 0; c < cexs.Count; c++)
                    if (hits[c].Count == 0)
                    {
                        note = Unremovable(c);
                        return Result(RepairStatus.NoRepair, before, null, []);
                    }
                if (OutOfBudget()) return Result(RepairStatus.NotEstablished, before, null, []);
                rounds++;
                var ranked = Ranked();
                if (ranked.Count == 0)
                {
                    note = $"no set of at most {options.MaxEdits} candidate edits removes every counterexample found ({cexs.Count})";
                    return Result(RepairStatus.NoRepair, before, null, []);
                }
                RepairFix? fix = null;
                var alternatives = new List<RepairFix>();
                foreach (var (edits, edited, cost) in ranked)
                {
                    if (fix is not null && (!options.All || !cost.SameWork(fix.Cost) || cost.Edits != fix.Cost.Edits)) break;
                    if (OutOfBudget()) break;
                    string key = KeyOf(edits);
                    var outcome = Verify(edited, out var more);
                    if (outcome == Outcome.Pass)
                    {
                        var made = Made(edits, cost);
                        if (fix is null) fix = made;
                        else alternatives.Add(made);
                        continue;
                    }
                    rejected.Add(key);
                    if (fix is not null) continue;
                    foreach (var c in more) Add(AbstractCounterexample.Of(c, edited, rounds));
                    break;
                }
                if (fix is not null) return Optimized(Result(RepairStatus.Repaired, before, fix, alternatives), fix.Edits);
            }
        }

        private enum Outcome { Pass, Fail, Incomplete }

        /// <summary>The complete exhaustive search at the bound, then (when asked) the default strategy's sampled
        /// schedules; the counterexamples either found.</summary>
        private Outcome Verify(EditedOrdering edited, out IReadOnlyList<Counterexample> found)
        {
            verified++;
            var program = edited.Program!;
            var search = Explorer.Check(program, file, options.Exploration with { Strategy = StrategyKind.Exhaustive, Bound = options.Bound }, cancel);
            states += search.States;
            found = [.. search.Counterexamples.Values];
            if (found.Count > 0) return Outcome.Fail;
            if (!search.Complete) return Outcome.Incomplete;
            if (!options.DefaultStrategy) return Outcome.Pass;
            var sampled = Explorer.Check(program, file, options.Exploration with { Strategy = StrategyKind.Pct, Bound = options.Bound }, cancel);
            schedules += sampled.Schedules;
            found = [.. sampled.Counterexamples.Values];
            return found.Count > 0 ? Outcome.Fail : Outcome.Pass;
        }

        private void Add(AbstractCounterexample c) => cexs.Add(c);

        /// <summary>Why counterexample <paramref name="c"/> stops the search: the first counterexample that no edit
        /// removes even counting another violation in its place as removal, with the op its violating step ran; else
        /// <paramref name="c"/>, whose every removal runs into another violation.</summary>
        private string Unremovable(int c)
        {
            for (int k = 0; k < cexs.Count; k++)
            {
                bool any = false;
                for (int i = 0; i < candidates.Count && !any; i++)
                    if (single[i] is { } e && e.Removes(cexs[k], sameInvariantOnly: true)) any = true;
                if (any) continue;
                var found = cexs[k].Found;
                var lines = found.Schedule.StepLines();
                string step = found.Violation.Step < lines.Count ? $" ('{lines[found.Violation.Step]}')" : "";
                return $"no candidate edit removes {Describe(k)}{step}";
            }
            return $"every candidate edit that removes {Describe(c)} runs into another violation there";
        }

        private HashSet<int> Hits(AbstractCounterexample c, bool sameInvariantOnly = false)
        {
            var set = new HashSet<int>();
            for (int i = 0; i < candidates.Count; i++)
                if (single[i] is { } e && e.Removes(c, sameInvariantOnly)) set.Add(i);
            return set;
        }

        /// <summary>Every set of at most MaxEdits candidates hitting every counterexample, not yet refuted, with its
        /// edited ordering and cost, cheapest first. Issue 15: edits of the path alone first; only when none is left,
        /// sets with a helper or driver change (each costs more than any set without one).</summary>
        private List<(List<RepairEdit> Edits, EditedOrdering Edited, RepairCost Cost)> Ranked()
        {
            var ranked = Ranked(helpers: false);
            return ranked.Count > 0 ? ranked : Ranked(helpers: true);
        }

        private List<(List<RepairEdit> Edits, EditedOrdering Edited, RepairCost Cost)> Ranked(bool helpers)
        {
            var found = new Dictionary<string, List<int>>();
            var singleCost = new Dictionary<int, RepairCost>();
            RepairCost SingleCost(int i)
            {
                if (!singleCost.TryGetValue(i, out var c)) singleCost[i] = c = CostOf(single[i]!, 1);
                return c;
            }
            var chosen = new List<int>();
            int nodes = 0;
            void Search()
            {
                if (found.Count >= MaxHittingSets || ++nodes > 50 * MaxHittingSets) return;
                int open = -1;
                for (int c = 0; c < cexs.Count && open < 0; c++)
                {
                    bool hit = false;
                    foreach (int i in chosen)
                        if (hits[c].Contains(i)) { hit = true; break; }
                    if (!hit) open = c;
                }
                if (open < 0)
                {
                    var sorted = new List<int>(chosen);
                    sorted.Sort();
                    var edits = new List<RepairEdit>();
                    foreach (int i in sorted) edits.Add(candidates[i]);
                    if (!rejected.Contains(KeyOf(edits))) found.TryAdd(string.Join(",", sorted), sorted); // refuted sets take no room
                    return;
                }
                if (chosen.Count == options.MaxEdits) return;
                var branch = new List<int>();
                foreach (int i in hits[open])
                    if (helpers || !candidates[i].ChangesHelper) branch.Add(i);
                branch.Sort((a, b) =>
                {
                    // with helpers allowed, they are what this pass is for: try them first
                    if (helpers && candidates[a].ChangesHelper != candidates[b].ChangesHelper) return candidates[a].ChangesHelper ? -1 : 1;
                    int k = SingleCost(a).CompareTo(SingleCost(b));
                    return k != 0 ? k : a.CompareTo(b);
                });
                foreach (int i in branch)
                {
                    if (!Compatible(chosen, i)) continue;
                    chosen.Add(i);
                    Search();
                    chosen.RemoveAt(chosen.Count - 1);
                }
            }
            Search();

            var ranked = new List<(List<RepairEdit> Edits, EditedOrdering Edited, RepairCost Cost, int Penalty, string Key)>();
            foreach (var indices in found.Values)
            {
                var edits = new List<RepairEdit>();
                foreach (int i in indices) edits.Add(candidates[i]);
                string key = KeyOf(edits);
                if (rejected.Contains(key)) continue;
                if (!sets.TryGetValue(key, out var entry))
                {
                    var edited = edits.Count == 1 ? single[indices[0]]! : EditedOrdering.Apply(original, edits);
                    entry = edited.Program is not null || edited.Compile(file) ? (edited, CostOf(edited, edits.Count)) : (null, default);
                    sets[key] = entry;
                }
                if (entry.Edited is null) continue;
                ranked.Add((edits, entry.Edited, entry.Cost, Penalty(edits), key));
            }
            ranked.Sort((a, b) =>
            {
                int k = a.Cost.CompareTo(b.Cost);
                if (k != 0) return k;
                k = a.Penalty.CompareTo(b.Penalty);
                return k != 0 ? k : string.CompareOrdinal(a.Key, b.Key);
            });
            var list = new List<(List<RepairEdit>, EditedOrdering, RepairCost)>(ranked.Count);
            foreach (var r in ranked) list.Add((r.Edits, r.Edited, r.Cost));
            return list;
        }

        private bool Compatible(List<int> chosen, int candidate)
        {
            var e = candidates[candidate];
            foreach (int i in chosen)
            {
                var o = candidates[i];
                if (o.Thread != e.Thread) continue;
                if (e.Kind == RepairEditKind.Move && o.Kind == RepairEditKind.Move && e.From == o.From) return false;
                if (e.Kind == RepairEditKind.Wrap && o.Kind == RepairEditKind.Wrap)
                {
                    bool disjoint = e.End <= o.Position || o.End <= e.Position;
                    bool nested = (e.Position <= o.Position && o.End <= e.End) || (o.Position <= e.Position && e.End <= o.End);
                    if (!disjoint && !nested) return false;
                }
            }
            return true;
        }

        /// <summary>Tie-break among equal costs: an inserted secondary invalidation not right after a CPU flush costs 2,
        /// one right after a flush but over another range than that flush covers costs 1.</summary>
        private int Penalty(List<RepairEdit> edits)
        {
            int penalty = 0;
            foreach (var e in edits)
            {
                if (e.Kind == RepairEditKind.Insert && e.Rule is not null) penalty += 1; // issue 15: the patch alone first
                if (e.Kind != RepairEditKind.Insert || !RepairCandidates.IsSecondaryInvalidation(e.Line!.Code)) continue;
                var ops = original.Threads[e.Thread].Ops;
                if (e.Position == 0 || !RepairCandidates.IsCpuFlush(ops[e.Position - 1].Code)) penalty += 2;
                else if (RepairCandidates.MirrorRange(ops[e.Position - 1]) != e.Line.Range?.ToString()) penalty += 1;
            }
            return penalty;
        }

        /// <summary>Puts the chosen edits into the ordering with their notes, and turns an <c>expect violation</c> into
        /// <c>expect pass</c>: the repaired ordering is one that passes.</summary>
        private RepairFix Made(List<RepairEdit> edits, RepairCost cost)
        {
            var removes = new List<string>();
            foreach (var e in edits) removes.Add(RemovesText(e));
            var notes = new Dictionary<RepairEdit, string>();
            for (int i = 0; i < edits.Count; i++) notes[edits[i]] = Note(edits[i], removes[i]);
            var annotated = EditedOrdering.Apply(original, edits, e => notes.GetValueOrDefault(e));
            return new RepairFix(edits, removes, ExpectPass(annotated.Ordering), cost);
        }

        /// <summary>The comment an edit's line carries; a helper or driver change says which fix it is (issue 15).</summary>
        private string Note(RepairEdit e, string removes) => "# repair: " + e.Kind switch
        {
            RepairEditKind.Patch => RepairHelpers.PatchOrigin(e.Rule!.Value, original) + ": ",
            RepairEditKind.Driver => "the driver's fix: ",
            _ => "",
        } + removes;

        private string RemovesText(RepairEdit e)
        {
            int index = candidates.IndexOf(e);
            for (int c = 0; c < cexs.Count; c++)
                if (index >= 0 && hits[c].Contains(index)) return "removes " + Describe(c);
            return "needed with the others (removes nothing alone)";
        }

        private string Describe(int c)
        {
            var v = cexs[c].Found.Violation;
            return $"{v.Name} at step {v.Step + 1} of counterexample {c + 1}";
        }

        private RepairResult Optimized(RepairResult result, IReadOnlyList<RepairEdit> repair)
        {
            if (!options.Optimize) return result;
            var accepted = new List<RepairEdit>();
            foreach (var candidate in RepairCandidates.Redundancy(original))
            {
                bool clash = false;
                foreach (var r in repair)
                    if (r.Kind == RepairEditKind.Move && r.Thread == candidate.Thread && r.From == candidate.From) clash = true;
                if (clash || OutOfBudget()) continue;
                var edits = new List<RepairEdit>(repair);
                edits.AddRange(accepted);
                edits.Add(candidate);
                var edited = EditedOrdering.Apply(original, edits);
                if (!edited.Compile(file)) continue;
                if (Verify(edited, out _) == Outcome.Pass) accepted.Add(candidate);
            }
            result = result with { Optimize = true, Redundant = accepted, States = states, Schedules = schedules, Verified = verified, Elapsed = clock.Elapsed };
            if (accepted.Count == 0) return result;
            var all = new List<RepairEdit>(repair);
            all.AddRange(accepted);
            var notes = new Dictionary<RepairEdit, string>();
            foreach (var e in repair) notes[e] = Note(e, RemovesText(e));
            foreach (var e in accepted) notes[e] = "# optimize: the secondary invalidation no schedule needs is dropped";
            var final = EditedOrdering.Apply(original, all, e => notes.GetValueOrDefault(e));
            var plain = EditedOrdering.Apply(original, all);
            plain.Compile(file);
            var ordering = result.Fix is null ? final.Ordering : ExpectPass(final.Ordering);
            var removes = new List<string>();
            foreach (var e in all) removes.Add(notes[e]);
            return result with { Optimized = new RepairFix(all, removes, ordering, CostOf(plain, all.Count)) };
        }

        private RepairResult Result(RepairStatus status, RepairCost before, RepairFix? fix, IReadOnlyList<RepairFix> alternatives) =>
            new(file, original, status, before, fix, alternatives, cexs, options.Bound, states, schedules, rounds, verified, clock.Elapsed,
                status == RepairStatus.NotEstablished ? note ?? (OutOfBudget() ? "the repair search ran out of its budget" : "the exhaustive search of the original did not complete (state budget)") : note);

        private bool OutOfBudget() => cancel.IsCancellationRequested || verified >= options.MaxVerifications || rounds >= options.MaxRounds
            || (options.TimeLimit is { } limit && clock.Elapsed > limit);

        private static string KeyOf(List<RepairEdit> edits)
        {
            var keys = new List<string>();
            foreach (var e in edits) keys.Add(e.Key);
            keys.Sort(StringComparer.Ordinal);
            return string.Join("|", keys);
        }
    }

    /// <summary>The cost of an edited ordering: the canonical run's secondary invalidation calls and pages dropped, the
    /// CPU flush ops of its kernel threads, and <paramref name="edits"/>.</summary>
    internal static RepairCost CostOf(EditedOrdering edited, int edits)
    {
        var costs = CostProfile.Of(edited.Program!);
        int flushes = 0;
        long kva = 0; // §7: iommu_sva_invalidate_kva_range is a secondary invalidation call the run's counters leave out
        foreach (var t in edited.Ordering.Threads)
            if (t.Kind == ThreadKind.Kernel)
                foreach (var op in t.Ops)
                {
                    if (RepairCandidates.IsCpuFlush(op.Code)) flushes++;
                    else if (op.Code == OpCode.IommuSvaInvalidateKvaRange) kva++;
                }
        return new RepairCost(costs.SecondaryInvalidations + kva, costs.PagesDropped, flushes, edits, edited.HelperChanges, edited.DriverChanges);
    }

    /// <summary>The ordering with <c>expect pass</c> in place of an <c>expect violation</c> line.</summary>
    internal static Ordering ExpectPass(Ordering ordering)
    {
        var headers = ImmutableArray.CreateBuilder<HeaderLine>();
        foreach (var h in ordering.Headers)
            headers.Add(h is HeaderLine.Expect { Pass: false } e
                ? new HeaderLine.Expect(EquatableArray<InvariantId>.Empty, e.Pos) { Trivia = e.Trivia }
                : h);
        return ordering with { Headers = headers.ToImmutable() };
    }
}
