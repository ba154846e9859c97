using System.Globalization;
using System.Text;
using Checker.Exploration;
using Checker.Invariants;
using Checker.Language;
using Checker.Model;
using Checker.Reports;
using Checker.Vocabulary;

namespace Checker.Cli;

/// <summary>
/// <c>checker check PATH…</c>: explores every ordering and compares what it finds with <c>expect</c>. One line
/// per ordering, then each counterexample as a step table; <c>--json</c> prints one document instead.
/// Exit 0 when every expectation is met, 2 otherwise, 1 for bad input.
/// </summary>
public static class CheckCommand
{
    private static readonly string[] Flags = ["--json", "--overwrite", "-v", "--verbose", "--no-timing"];

    private static readonly string[] Options =
        ["--strategy", "--schedules", "--bound", "--seed", "--jobs", "--shard", "--html", "--save-trace", "--log", "--pct-depth", "--states"];

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancel = default)
    {
        var line = CommandLine.Parse("check", args, Flags, Options);
        var options = ReadOptions(line);
        OutputFiles.Validate(line, "check", "--html", "report.html");
        OutputFiles.Validate(line, "check", "--log", "run.clef");
        OutputFiles.ValidateDirectory(line, "check", "--save-trace", "counterexamples");
        if (line.Error is not null)
        {
            error.WriteLine(line.Error);
            return ExitCodes.BadInput;
        }
        if (line.Positional.Count == 0)
        {
            error.WriteLine("checker check: error: no files given — usage: checker check PATH… (a directory checks every .order in it)");
            return ExitCodes.BadInput;
        }
        var programs = OrderingFiles.Load(line.Positional, error);
        if (programs is null) return ExitCodes.BadInput;
        if (programs.Count == 0)
        {
            error.WriteLine("checker check: error: no .order files to check — name files or directories that hold some");
            return ExitCodes.BadInput;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var logger = CliLog.Create(line, error);
        var log = RunLog.ForRun(logger, "check", options);
        RunLog.Started(log, programs.Count, options);
        List<OrderingResult> results;
        using (var progress = ProgressReporter.Start(error, options, Names(programs)))
            results = Explore(programs, options, cancel, progress);
        RunLog.Results(log, results);
        bool json = line.Has("--json");
        if (json) output.Write(JsonReport.Write(results, options));
        else WriteText(output, results, options, clock.Elapsed, timing: !line.Has("--no-timing"));
        bool written = true;
        if (line.Value("--html") is { } html)
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

        written &= line.Value("--save-trace") is not { } dir || SaveTraces(results, dir, line.Has("--overwrite"), json ? error : output, error);

        bool allMet = true;
        foreach (var r in results) allMet &= r.Met;
        // an unmet expectation (2) outranks a report that could not be written (1): it is the run's answer
        return !allMet ? ExitCodes.Violation : written ? ExitCodes.Ok : ExitCodes.BadInput;
    }

    public static ExplorationOptions ReadOptions(CommandLine line)
    {
        var strategy = StrategyKind.Auto;
        if (line.Value("--strategy") is { } s)
        {
            if (!TryStrategy(s, out strategy))
                line.Fail($"checker check: error: unknown strategy '{s}' — use auto, random, pct or exhaustive");
        }
        int shard = 0, shards = 1;
        if (line.Value("--shard") is { } sh)
        {
            var parts = sh.Split('/');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out shard)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out shards) || shards < 1 || shards > 1024 || shard >= shards)
                line.Fail($"checker check: error: --shard must be I/N with 0 <= I < N <= 1024, found '{sh}' — e.g. '--shard 0/4' on the first of four machines");
        }
        ulong seed = 1;
        if (line.Value("--seed") is { } seedText)
        {
            bool hex = seedText.StartsWith("0x", StringComparison.Ordinal);
            if (!ulong.TryParse(hex ? seedText[2..] : seedText, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out seed))
                line.Fail($"checker check: error: --seed must be an unsigned 64-bit number, found '{seedText}' — e.g. '--seed 42' or '--seed 0x2a'");
        }
        return new ExplorationOptions
        {
            Strategy = strategy,
            Schedules = line.Long("check", "--schedules", ExplorationOptions.DefaultSchedules, 0, Limits.MaxSchedules, "the number of random or pct schedules per ordering"),
            Bound = (int)line.Long("check", "--bound", ExplorationOptions.DefaultBound, 0, Limits.MaxBound, "at most K environment actions per schedule; exhaustive search grows exponentially in K"),
            Seed = seed,
            Jobs = (int)line.Long("check", "--jobs", 1, 1, 256, "the number of worker threads"),
            Shard = shard,
            Shards = shards,
            PctDepth = (int)line.Long("check", "--pct-depth", ExplorationOptions.DefaultPctDepth, 1, 16, "pct's bug depth d (d - 1 change points)"),
            StateLimit = line.Long("check", "--states", ExplorationOptions.DefaultStateLimit, 1, Limits.MaxStates, "exhaustive search's state budget (its visited table takes about 20 bytes a state)"),
        };
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

    private static void WriteText(TextWriter output, List<OrderingResult> results, ExplorationOptions options, TimeSpan elapsed, bool timing = true)
    {
        output.WriteLine($"checker check: {Describe(options)}");
        var rows = new List<string[]> { timing ? ["verdict", "ordering", "expect", "found", "explored", "time"] : ["verdict", "ordering", "expect", "found", "explored"] };
        foreach (var r in results)
        {
            string verdict = r.Verdict.Word;
            var found = new List<string>();
            foreach (var id in r.Found) found.Add(Invariant.NameOf(id));
            rows.Add(timing ? [verdict, r.Name, r.ExpectText, found.Count == 0 ? "-" : string.Join(" ", found), ExplorationSummary.Of(r),
                r.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s"]
                : [verdict, r.Name, r.ExpectText, found.Count == 0 ? "-" : string.Join(" ", found), ExplorationSummary.Of(r)]);
        }
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
            for (int i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);
        foreach (var row in rows)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < row.Length; i++)
            {
                sb.Append(i == row.Length - 1 && timing ? row[i].PadLeft(widths[i]) : row[i].PadRight(widths[i]));
                if (i < row.Length - 1) sb.Append("  ");
            }
            output.WriteLine(sb.ToString().TrimEnd());
        }
        foreach (var r in results)
        {
            if (r.Verdict.Missed)
                output.WriteLine($"\n{r.Name} ({r.File}): {Verdict.MissedNote(r.ExpectText)} ({ExplorationSummary.Of(r)})");
            foreach (var (id, cx) in r.Counterexamples)
            {
                bool expected = Expectation.Lists(r.Program.Source.Expect, id);
                output.WriteLine();
                output.WriteLine($"{r.Name} ({r.File}): {Invariant.NameOf(id)}{(expected ? " (expected)" : " — UNEXPECTED")}");
                output.Write(StepTable.Render(cx));
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
