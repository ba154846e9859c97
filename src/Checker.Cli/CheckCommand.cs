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
/// <c>checker check PATH…</c>: explores every ordering and compares what it finds with <c>expect</c>. One line
/// per ordering, then each counterexample as a step table; <c>--json</c> prints one document instead.
/// Exit 0 when every expectation is met, 2 otherwise, 1 for bad input.
/// </summary>
public static class CheckCommand
{
    public static Command Build(CliContext ctx)
    {
        var paths = CliOptions.Paths("PATH", "files", ".order files, or directories: every .order file in a directory is checked");
        var exploration = new ExplorationOptionSet();
        var json = CliOptions.Flag("--json", "print the run as one JSON document instead of the text (no timings: byte-identical for the same seed, whatever --jobs)");
        var html = CliOptions.OutputFile("--html", "FILE", "also write a self-contained HTML report: each counterexample as a swim-lane diagram", "report.html");
        var saveTrace = CliOptions.OutputDirectory("--save-trace", "DIR", "save each counterexample as DIR/ORDERING.INVARIANT.trace for 'checker replay' (DIR is made when missing)", "counterexamples");
        var overwrite = CliOptions.Flag("--overwrite", "replace .trace files that already exist (without it, an existing file is kept and reported)");
        var noTiming = CliOptions.Flag("--no-timing", "leave the times out of the text, so that two runs print the same");
        var log = new LogOptionSet("run.clef");
        var command = new Command("check", "explore orderings and compare the invariants they violate with their 'expect' lines")
        {
            paths,
        };
        exploration.AddTo(command, shard: true);
        command.Options.Add(json);
        command.Options.Add(html);
        command.Options.Add(saveTrace);
        command.Options.Add(overwrite);
        command.Options.Add(noTiming);
        log.AddTo(command);
        command.SetAction(parse => Run(ctx, parse.GetValue(paths) ?? [], exploration.Read(parse), parse.GetValue(json), parse.GetValue(html),
            parse.GetValue(saveTrace), parse.GetValue(overwrite), !parse.GetValue(noTiming), () => CliLog.Create(parse, log, ctx.Error)));
        return command;
    }

    private static int Run(CliContext ctx, string[] paths, ExplorationOptions options, bool json, string? html, string? saveTrace, bool overwrite,
        bool timing, Func<Logger> createLogger)
    {
        var (output, error) = (ctx.Output, ctx.Error);
        if (paths.Length == 0)
        {
            error.WriteLine("checker check: error: no files given — usage: checker check PATH… (a directory checks every .order in it)");
            return ExitCodes.BadInput;
        }
        var programs = OrderingFiles.Load(paths, error);
        if (programs is null) return ExitCodes.BadInput;
        if (programs.Count == 0)
        {
            error.WriteLine("checker check: error: no .order files to check — name files or directories that hold some");
            return ExitCodes.BadInput;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var logger = createLogger();
        var log = RunLog.ForRun(logger, "check", options);
        RunLog.Started(log, programs.Count, options);
        List<OrderingResult> results;
        using (var progress = ProgressReporter.Start(error, options, Names(programs)))
            results = Explore(programs, options, ctx.Cancel, progress);
        RunLog.Results(log, results);
        if (json) output.Write(JsonReport.Write(results, options));
        else WriteText(output, results, options, clock.Elapsed, ctx.Terminal, timing);
        bool written = true;
        if (html is not null)
        {
            try
            {
                AtomicFile.Write(html, HtmlReport.Write(results, options));
                log.Information("Wrote the HTML report to {HtmlPath}", html);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"checker check: error: could not write the HTML report to '{html}': {e.Message} — check the path and its permissions; the results above stand");
                written = false;
            }
        }
        RunLog.Finished(log, results, clock.Elapsed);

        written &= saveTrace is null || SaveTraces(results, saveTrace, overwrite, json ? error : output, error);

        bool allMet = true;
        foreach (var r in results) allMet &= r.Met;
        // an unmet expectation (2) outranks a report that could not be written (1): it is the run's answer
        return !allMet ? ExitCodes.Violation : written ? ExitCodes.Ok : ExitCodes.BadInput;
    }

    public static bool TryStrategy(string s, out StrategyKind kind)
    {
        kind = s switch
        {
            "auto" => StrategyKind.Auto,
            "random" => StrategyKind.Random,
            "pct" => StrategyKind.Pct,
            "exhaustive" => StrategyKind.Exhaustive,
            _ => (StrategyKind)(-1),
        };
        return (int)kind >= 0;
    }

    public static string StrategyName(StrategyKind kind) => kind switch
    {
        StrategyKind.Auto => "auto",
        StrategyKind.Random => "random",
        StrategyKind.Pct => "pct",
        _ => "exhaustive",
    };

    /// <summary>Explores every ordering; with several orderings and <c>--jobs J</c>, J orderings run at once
    /// (each on one job); a single ordering uses all J jobs. Results come back in file order.</summary>
    public static List<OrderingResult> Explore(List<(string File, CompiledOrdering Program)> programs, ExplorationOptions options, CancellationToken cancel,
        ProgressReporter? progress = null)
    {
        var results = new OrderingResult[programs.Count];
        if (programs.Count == 1 || options.Jobs == 1)
        {
            for (int i = 0; i < programs.Count; i++)
            {
                results[i] = Explorer.Check(programs[i].Program, programs[i].File, options, cancel, progress?.For(i));
                progress?.Done(i);
            }
        }
        else
        {
            var single = options with { Jobs = 1 };
            Parallel.For(0, programs.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Jobs },
                i =>
                {
                    results[i] = Explorer.Check(programs[i].Program, programs[i].File, single, cancel, progress?.For(i));
                    progress?.Done(i);
                });
        }
        return [.. results];
    }

    public static string TraceText(OrderingResult r, Counterexample cx) =>
        TraceFile.Format(cx, OrderingPrinter.Print(r.Program.Source), r.File, cx.Origin);

    public static string Describe(ExplorationOptions o) => o.Strategy switch
    {
        StrategyKind.Auto => $"auto (exhaustive with bound {o.Bound} up to {o.StateLimit:N0} states, then pct d={o.PctDepth} over {o.Schedules:N0} schedules)",
        StrategyKind.Exhaustive => $"exhaustive (bound {o.Bound}, up to {o.StateLimit:N0} states)",
        StrategyKind.Pct => $"pct (d={o.PctDepth}, {o.Schedules:N0} schedules, bound {o.Bound})",
        _ => $"random ({o.Schedules:N0} schedules, bound {o.Bound})",
    } + $", seed {o.Seed}" + (o.Shards > 1 ? $", shard {o.Shard}/{o.Shards}" : "");

    /// <summary>The summary table (verdict, ordering, expect, found, explored, time) fitted to the terminal's width
    /// by wrapping the ordering, expect, found and explored columns, the widest first; verdicts and the violating step
    /// coloured when the terminal takes colour.</summary>
    internal static void WriteText(TextWriter output, List<OrderingResult> results, ExplorationOptions options, TimeSpan elapsed, TerminalInfo terminal, bool timing = true)
    {
        var heading = new StringBuilder();
        HelpText.Wrap(heading, "", "  ", $"checker check: {Describe(options)}", terminal.Width ?? int.MaxValue);
        output.Write(heading.ToString());
        var table = new TextTable(timing ? ["verdict", "ordering", "expect", "found", "explored", "time"] : ["verdict", "ordering", "expect", "found", "explored"]);
        table.Wrappable.AddRange([1, 2, 3, 4]);
        if (timing) table.RightAligned.Add(5);
        foreach (var r in results)
        {
            var found = new List<string>();
            foreach (var id in r.Found) found.Add(Invariant.NameOf(id));
            string[] cells = timing ? [r.Verdict.Word, r.Name, r.ExpectText, found.Count == 0 ? "-" : string.Join(" ", found), ExplorationSummary.Of(r),
                r.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s"]
                : [r.Verdict.Word, r.Name, r.ExpectText, found.Count == 0 ? "-" : string.Join(" ", found), ExplorationSummary.Of(r)];
            var colors = new string?[cells.Length];
            colors[0] = Ansi.Of(r.Verdict.Kind);
            table.Add(cells, colors);
        }
        output.Write(table.Render(terminal.Width, terminal.Color));
        foreach (var r in results)
        {
            if (r.Verdict.Missed)
                output.WriteLine($"\n{r.Name} ({r.File}): {Verdict.MissedNote(r.ExpectText)} ({ExplorationSummary.Of(r)})");
            foreach (var (id, cx) in r.Counterexamples)
            {
                bool expected = Expectation.Lists(r.Program.Source.Expect, id);
                output.WriteLine();
                output.WriteLine($"{r.Name} ({r.File}): {Invariant.NameOf(id)}{(expected ? " (expected)" : terminal.Color ? " — " + Ansi.Paint("UNEXPECTED", Ansi.Red) : " — UNEXPECTED")}");
                string steps = StepTable.Render(cx);
                output.Write(terminal.Color ? Ansi.MarkViolatingStep(steps) : steps);
                // issue 15: where the fix goes, as checker repair would put it, when a small search finds it
                // (not after Ctrl-C: a cancelled run stops promptly)
                if (id == InvariantId.StaleSecondaryAfterFlush && !r.Cancelled && RepairSuggestion(r) is { } suggestion) output.WriteLine("  " + suggestion);
            }
        }
        foreach (var r in results)
        {
            if (!r.ExhaustiveRan || r.Complete || r.Cancelled) continue;
            output.WriteLine();
            output.WriteLine($"{r.Name} ({r.File}): exhaustive search stopped at its state budget ({options.StateLimit.ToString("N0", CultureInfo.InvariantCulture)} states) "
                + $"before finishing bound {options.Bound}: the state space explodes at this bound, so \"no violation\" is not proved"
                + (r.Verdict.Kind == VerdictKind.Unproved ? " (the verdict is UNPROVED, exit 2). " : ". ")
                + $"Use a smaller --bound, or --strategy pct, or raise --states (up to {Limits.MaxStates.ToString("N0", CultureInfo.InvariantCulture)}).");
        }
        bool cancelled = false;
        foreach (var r in results) cancelled |= r.Cancelled;
        output.WriteLine();
        if (options.Shards > 1)
            output.WriteLine($"shard {options.Shard}/{options.Shards}: 'partial' = nothing unexpected in this part; 'checker merge' of every shard's --json gives the verdict");
        output.WriteLine(VerdictTally.Of(results).ToString()
            + (timing ? $" ({elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)" : "")
            + (cancelled ? " — cancelled: these are the results so far, and a cancelled ordering's expectation is not established" : ""));
    }

    /// <summary>(issue 15) <c>checker repair</c>'s one line for <paramref name="r"/>'s ordering, searched within a small
    /// budget (exhaustive verification only, at most 24 candidates, 2 s), or null.</summary>
    private static string? RepairSuggestion(OrderingResult r)
    {
        var result = Checker.Repair.Repairer.Repair(r.Program.Source, r.File, new Checker.Repair.RepairOptions
        {
            Bound = Math.Min(r.Bound, ExplorationOptions.DefaultBound),
            DefaultStrategy = false,
            MaxVerifications = 24,
            TimeLimit = TimeSpan.FromSeconds(2),
        });
        return RepairCommand.Suggestion(result);
    }

    private static List<string> Names(List<(string File, CompiledOrdering Program)> programs)
    {
        var names = new List<string>(programs.Count);
        foreach (var (file, _) in programs) names.Add(Path.GetFileNameWithoutExtension(file));
        return names;
    }

    /// <summary>Saves each counterexample; false (after saying why) when the file system refuses.</summary>
    private static bool SaveTraces(List<OrderingResult> results, string dir, bool overwrite, TextWriter report, TextWriter error)
    {
        try
        {
            Directory.CreateDirectory(dir);
            foreach (var r in results)
            {
                foreach (var (id, cx) in r.Counterexamples)
                {
                    string path = Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(r.File)}.{Invariant.NameOf(id)}.trace");
                    if (!overwrite && AtomicFile.Refuses(path, error)) continue;
                    AtomicFile.Write(path, TraceText(r, cx));
                    report.WriteLine($"saved {path}");
                }
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"checker check: error: could not save the counterexamples in '{dir}': {e.Message} — check the directory and its permissions; the results above stand");
            return false;
        }
    }
}
