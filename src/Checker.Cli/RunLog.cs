using Checker.Exploration;
using Checker.Invariants;
using Checker.Reports;
using Serilog;
using Serilog.Events;
using Checker.Vocabulary;

namespace Checker.Cli;

/// <summary>
/// The structured events of a <c>check</c> or <c>diff</c> run: every event carries the command, seed and
/// strategy; per-ordering events the ordering and its file; per-violation events the invariant, step, actor,
/// page and how the counterexample was found. Per-step events (Verbose, <c>-v</c>) are emitted while the
/// counterexamples are replayed for reporting (<see cref="CounterexampleReplay"/>) — never from the exploration loop.
/// </summary>
public static class RunLog
{
    public static ILogger ForRun(ILogger log, string command, ExplorationOptions o) =>
        log.ForContext("Command", command)
           .ForContext("Seed", o.Seed)
           .ForContext("Strategy", CheckCommand.StrategyName(o.Strategy))
           .ForContext("Bound", o.Bound)
           .ForContext("Jobs", o.Jobs);

    public static ILogger ForOrdering(ILogger log, OrderingResult r) =>
        log.ForContext("Ordering", r.Name).ForContext("File", r.File.Replace('\\', '/'));

    public static void Started(ILogger log, int orderings, ExplorationOptions o) =>
        log.Information("Checking {Orderings} orderings with strategy {Strategy}, seed {Seed}, bound {Bound}, {Jobs} jobs",
            orderings, CheckCommand.StrategyName(o.Strategy), o.Seed, o.Bound, o.Jobs);

    /// <summary>The log's words for <see cref="Verdict.Missed"/>, the same as the reports' (<see cref="Verdict.MissedNote"/>).</summary>
    private const string MissedTemplate = "{Ordering} expected {Expect}, " + Verdict.NothingViolated;

    /// <summary>Logs each ordering's verdict and each counterexample; with <c>-v</c> each counterexample's steps.</summary>
    public static void Results(ILogger log, IReadOnlyList<OrderingResult> results)
    {
        foreach (var r in results)
        {
            var o = ForOrdering(log, r);
            var found = new List<string>();
            foreach (var id in r.Found) found.Add(Invariant.NameOf(id));
            o.ForContext("Cancelled", r.Cancelled).Debug(
                "Explored {Ordering}: expect {Expect}, {Verdict} (met {Met}), found {Found}; {Schedules} schedules, {States} states, complete {Complete}, in {ElapsedMs} ms",
                r.Name, r.ExpectText, r.Verdict.Word, r.Met, found, r.Schedules, r.States, r.Complete, (long)r.Elapsed.TotalMilliseconds);
            if (r.ExhaustiveRan) // issue 14: what the search treated as interchangeable, and the omission bound
                o.Debug("Symmetry of {Ordering}: reduced {SymmetryClasses}{SymmetryOff}; P(missed state) <= {OmissionBound}",
                    r.Name, r.SymmetryClasses, r.SymmetryOff is null ? "" : " (off: " + r.SymmetryOff + ")", r.OmissionBound);
            if (r.Verdict.Missed)
                o.Warning(MissedTemplate, r.Name, r.ExpectText);
            foreach (var (id, cx) in r.Counterexamples)
                Violation(o, r.Name, cx, Expectation.Lists(r.Program.Source.Expect, id));
        }
    }

    public static void Violation(ILogger log, string ordering, Counterexample cx, bool expected)
    {
        var v = cx.Violation;
        var co = new List<string>();
        foreach (var id in v.CoViolations) co.Add(Invariant.NameOf(id));
        log.ForContext("Expected", expected)
           .ForContext("CoViolations", co)
           .ForContext("Steps", cx.Schedule.Count)
           .ForContext("Page", v.Page)
           .ForContext("EnvironmentActions", cx.Schedule.EnvironmentActions)
           .ForContext("ContextSwitches", cx.Schedule.ContextSwitches)
           // an expected violation is already in the result on stdout: Debug (the --log file, or -v); an unexpected one warns
           .Write(expected ? LogEventLevel.Debug : LogEventLevel.Warning,
               "{Ordering} violates {Invariant} at step {Step} ({Actor}; found by {FoundBy}): {Description}",
               ordering, v.Name, v.Step + 1, v.Actor, cx.Origin, v.Description);
        Steps(log, cx);
    }

    /// <summary>Per-step Verbose events of a counterexample (replayed only when Verbose is enabled).</summary>
    public static void Steps(ILogger log, Counterexample cx)
    {
        if (!log.IsEnabled(LogEventLevel.Verbose)) return;
        foreach (var step in CounterexampleReplay.Of(cx.Schedule).Steps)
            log.Verbose("{Invariant} step {Step}: {Actor}: {Op}; PTE {Pte}, TLBs {Tlbs}, IOTLBs {Iotlbs}, sPTEs {Sptes}, frames {Frames}{Violating}",
                cx.Violation.Name, step.Step, step.Op.Actor.Name, StepTable.OpText(step), StateText.Ptes(step.After),
                StateText.Caches(step.After.Tlbs), StateText.Caches(step.After.Iotlbs), StateText.Caches(step.After.Sptes),
                StateText.Frames(step.After), step.Violating ? " <- violation" : "");
    }

    public static void Finished(ILogger log, IReadOnlyList<OrderingResult> results, TimeSpan elapsed)
    {
        var tally = VerdictTally.Of(results);
        log.Information("Checked {Orderings} orderings: {Met} met, {Unmet} unmet, {Cancelled} cancelled, in {ElapsedMs} ms",
            tally.Orderings, tally.Met, tally.Unmet, tally.Cancelled, (long)elapsed.TotalMilliseconds);
    }
}
