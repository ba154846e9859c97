using System.CommandLine;
using System.Globalization;
using System.Text;
using Checker.Exploration;
using Checker.Invariants;
using Checker.Language;
using Checker.Model;
using Checker.Reports;
using Checker.Vocabulary;
using Checker.Cli.Terminal;
using Serilog.Core;

namespace Checker.Cli;

/// <summary>
/// <c>checker diff A.order B.order</c>: two orderings of the same path — today's and a proposed patch's —
/// explored with the same strategy and seed. Prints which invariants each violates, a distinguishing schedule
/// when one exists (a minimal counterexample of one that, mapped onto the other by actor name and run until
/// every thread has returned, does not violate that invariant there; see <see cref="Distinguisher"/>) as a
/// step table on both sides and as a replayable <c>.trace</c>, and the cost counters side by side, so a patch
/// is judged on correctness and on what its invalidations cost. Exit 0 when the two behave alike (same
/// invariants, no distinguishing schedule, both explorations finished), 2 when they differ or when that is not
/// established (cancelled, or a search cut by its state budget), 1 for bad input.
/// </summary>
public static class DiffCommand
{
    public static Command Build(CliContext ctx)
    {
        var paths = CliOptions.Paths("ORDERING", "files", "the two .order files: A (today's ordering) and B (the patch's)", "A.order B.order");
        var exploration = new ExplorationOptionSet();
        var saveTrace = CliOptions.OutputFile("--save-trace", "FILE", "save the distinguishing schedule as a .trace file for 'checker replay'", "distinguishing.trace");
        var overwrite = CliOptions.Flag("--overwrite", "replace the --save-trace file if it exists (without it, an existing file is kept and reported)");
        var log = new LogOptionSet("run.clef");
        var command = new Command("diff", "explore two orderings of one path with the same seed: the invariants each violates, a distinguishing schedule, the costs side by side")
        {
            paths,
        };
        exploration.AddTo(command, shard: false);
        command.Options.Add(saveTrace);
        command.Options.Add(overwrite);
        log.AddTo(command);
        command.SetAction(parse => Run(ctx, parse.GetValue(paths) ?? [], exploration.Read(parse), parse.GetValue(saveTrace), parse.GetValue(overwrite),
            () => CliLog.Create(parse, log, ctx.Error)));
        return command;
    }

    private static int Run(CliContext ctx, string[] paths, ExplorationOptions options, string? savePath, bool overwrite, Func<Logger> createLogger)
    {
        var (output, error, cancel) = (ctx.Output, ctx.Error, ctx.Cancel);
        if (paths.Length != 2)
        {
            error.WriteLine($"checker diff: error: expected two .order files, found {paths.Length} — usage: checker diff A.order B.order (today's ordering and the patch's)");
            return ExitCodes.BadInput;
        }
        var programs = OrderingFiles.Load(paths, error);
        if (programs is null) return ExitCodes.BadInput;
        if (programs.Count != 2)
        {
            error.WriteLine($"checker diff: error: expected two .order files, found {programs.Count} — name two files, not directories");
            return ExitCodes.BadInput;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var logger = createLogger();
        var log = RunLog.ForRun(logger, "diff", options);
        RunLog.Started(log, 2, options);
        List<OrderingResult> results;
        var names = new List<string> { Path.GetFileNameWithoutExtension(programs[0].File), Path.GetFileNameWithoutExtension(programs[1].File) };
        using (var progress = ProgressReporter.Start(error, options, names))
            results = CheckCommand.Explore(programs, options, cancel, progress);
        RunLog.Results(log, results);
        var (a, b) = (results[0], results[1]);

        var notes = new List<string>();
        var distinction = Distinguisher.Find(a, b, notes);
        if (distinction is { } dn)
            log.ForContext("Clean", dn.Clean).Information(
                "Distinguishing schedule: {Invariant} on {Side} at step {Step}, not on {OtherSide} ({OtherSteps} steps there)",
                Invariant.NameOf(dn.Invariant), dn.OnA ? "A" : "B", dn.Counterexample.Violation.Step + 1, dn.OnA ? "B" : "A", dn.Other.Count);
        else log.Information("No distinguishing schedule among the minimal counterexamples");

        Write(output, a, b, distinction, notes, options, ctx.Terminal);
        bool saveFailed = false;
        if (distinction is not null && savePath is { } path)
        {
            if (overwrite || !AtomicFile.Refuses(path, error))
            {
                try
                {
                    AtomicFile.Write(path, Trace(distinction, a, b));
                    output.WriteLine($"saved {path}");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"checker diff: error: could not save the distinguishing trace to '{path}': {e.Message} — check the path and its permissions; the comparison above stands");
                    saveFailed = true;
                }
            }
        }
        RunLog.Finished(log, results, clock.Elapsed);
        bool same = distinction is null && SameFound(a, b);
        // "alike" needs both explorations finished: a cut search or a cancelled run may hide a difference
        bool settled = a.Finished && b.Finished;
        if (same && !settled)
            output.WriteLine("not established: the two explorations found the same, but " + (a.Cancelled || b.Cancelled
                ? "the run was cancelled" : "an exhaustive search stopped at its state budget (or no schedules ran)")
                + " — rerun with a smaller --bound, a larger --states, or --strategy pct");
        return !same || !settled ? ExitCodes.Violation : saveFailed ? ExitCodes.BadInput : ExitCodes.Ok;
    }

    private static void Write(TextWriter o, OrderingResult a, OrderingResult b, Distinction? dn, List<string> notes, ExplorationOptions options, TerminalInfo terminal)
    {
        o.WriteLine($"checker diff: {CheckCommand.Describe(options)}");
        int w = Math.Max(FileOf(a).Length, FileOf(b).Length);
        o.WriteLine($"A  {FileOf(a).PadRight(w)}  {a.Name}  (expect {a.ExpectText})");
        o.WriteLine($"B  {FileOf(b).PadRight(w)}  {b.Name}  (expect {b.ExpectText})");
        o.WriteLine();

        var rows = new List<string[]> { new[] { "invariant", "A", "B" } };
        foreach (var inv in Invariant.All)
            rows.Add([inv.Name, a.Counterexamples.ContainsKey(inv.Id) ? "violated" : "-", b.Counterexamples.ContainsKey(inv.Id) ? "violated" : "-"]);
        Table(o, rows);
        o.WriteLine($"explored: A {ExplorationSummary.Of(a)}; B {ExplorationSummary.Of(b)}");
        o.WriteLine();

        if (dn is null)
        {
            o.WriteLine(a.Found.Count == 0 && b.Found.Count == 0
                ? "no distinguishing schedule: neither ordering violates anything in what was explored"
                : "no distinguishing schedule among the minimal counterexamples");
            foreach (var n in notes) o.WriteLine("  " + n);
        }
        else
        {
            var (bad, good) = dn.OnA ? ("A", "B") : ("B", "A");
            string invariant = Invariant.NameOf(dn.Invariant);
            string otherOutcome = dn.OtherRun.Violation is { } ov
                ? $"violates {ov.Name} instead, at step {ov.Step + 1}"
                : $"runs to its end ({dn.Other.Count} steps, every thread returned) without violating anything";
            o.WriteLine($"distinguishing schedule: violates {invariant} on {bad} at step {dn.Counterexample.Violation.Step + 1}; "
                + $"on {good} the same schedule {otherOutcome}");
            foreach (var n in notes) o.WriteLine("  (" + n + ")");
            o.WriteLine();
            o.WriteLine($"on {bad} ({FileOf(dn.OnA ? a : b)}):");
            o.Write(Marked(StepTable.Render(dn.Counterexample), terminal));
            o.WriteLine();
            o.WriteLine($"on {good} ({FileOf(dn.OnA ? b : a)}):");
            if (dn.OtherRun.Violation is { } v2)
                o.Write(Marked(StepTable.Render(new Counterexample(dn.Other, v2, "checker diff, the same schedule")), terminal));
            else
            {
                o.Write(StepTable.RenderSchedule(dn.Other));
                o.WriteLine("  " + StepTable.Notation);
            }
            o.WriteLine();
            o.WriteLine($"replayable trace of {bad}'s violation (save it as FILE.trace and run 'checker replay FILE.trace'):");
            o.Write(Trace(dn, a, b));
        }
        o.WriteLine();

        o.WriteLine("costs (one canonical run each: every translation warm, then the threads in file order):");
        var costs = new List<string[]>
        {
            new[] { "", "A", "B" },
            new[] { "secondary invalidation calls", N(a.Costs.SecondaryInvalidations), N(b.Costs.SecondaryInvalidations) },
            new[] { "pages dropped", N(a.Costs.PagesDropped), N(b.Costs.PagesDropped) },
            new[] { "full flushes", N(a.Costs.FullFlushes), N(b.Costs.FullFlushes) },
            new[] { "redundant invalidations", N(a.Costs.RedundantInvalidations), N(b.Costs.RedundantInvalidations) },
        };
        Table(o, costs);
    }

    /// <summary>The distinguishing counterexample as a <c>.trace</c> of the ordering it violates.</summary>
    private static string Marked(string steps, TerminalInfo terminal) => terminal.Color ? Ansi.MarkViolatingStep(steps) : steps;

    private static string Trace(Distinction dn, OrderingResult a, OrderingResult b)
    {
        var (bad, good) = dn.OnA ? (a, b) : (b, a);
        string foundBy = $"checker diff ({dn.Counterexample.Origin}); does not violate it on {FileOf(good)}";
        return TraceFile.Format(dn.Counterexample, OrderingPrinter.Print(bad.Program.Source), bad.File, foundBy);
    }

    private static bool SameFound(OrderingResult a, OrderingResult b)
    {
        if (a.Found.Count != b.Found.Count) return false;
        foreach (var id in a.Found)
            if (!b.Counterexamples.ContainsKey(id)) return false;
        return true;
    }

    private static void Table(TextWriter o, List<string[]> rows)
    {
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
            for (int i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);
        foreach (var row in rows)
        {
            var sb = new StringBuilder("  ");
            for (int i = 0; i < row.Length; i++)
            {
                sb.Append(row[i].PadRight(widths[i]));
                if (i < row.Length - 1) sb.Append("  ");
            }
            o.WriteLine(sb.ToString().TrimEnd());
        }
    }

    private static string FileOf(OrderingResult r) => r.File.Replace('\\', '/');

    private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);
}
