using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Checker.Exploration;
using Checker.Model;

namespace Checker.Cli;

/// <summary>
/// <c>checker bench [--ordering FILE] [--exhaustive FILE] [--bound K] [--trials N] [--seconds S] [--no-symmetry]</c>: the
/// throughput figures of BENCHMARKS.md, measured in one run so that ratios compare like with like on a noisy
/// machine. Each figure is the median of N timed trials.
/// </summary>
public static class BenchCommand
{
    public static Command Build(CliContext ctx)
    {
        var ordering = CliOptions.Input("--ordering", "FILE", "file", "catalog/fork-6.0.order", "the ordering sampled by random and pct (steps and schedules per second, 1 and 2 jobs)");
        var exhaustive = CliOptions.Input("--exhaustive", "FILE", "file", "catalog/nested-finish-6.6.order", "the ordering searched exhaustively (distinct states per second)");
        var bound = CliOptions.Integer("--bound", "K", 6, 0, 16, "the exhaustive search's bound", "exhaustive bound for the state-rate figure");
        var trials = CliOptions.Integer("--trials", "N", 5, 1, 100, "timed trials per figure (the median is printed)", "timed trials per figure");
        var seconds = CliOptions.Integer("--seconds", "S", 2, 1, 600, "seconds per trial", "seconds per trial");
        var catalog = CliOptions.Input("--catalog", "DIR", "directory", null, "instead: time to first violation of every buggy ordering in DIR, per strategy");
        // issue 14: the state rate without symmetry reduction, to compare with the reduced one
        var noSymmetry = CliOptions.Flag("--no-symmetry", "the exhaustive figure without symmetry reduction (every state searched under its own page, CPU and device names)");
        var command = new Command("bench", "throughput and time-to-first-violation figures for BENCHMARKS.md")
        {
            ordering, exhaustive, bound, trials, seconds, catalog, noSymmetry,
        };
        command.SetAction(parse => Run(parse.GetValue(ordering) ?? "catalog/fork-6.0.order", parse.GetValue(exhaustive) ?? "catalog/nested-finish-6.6.order",
            (int)parse.GetValue(bound), (int)parse.GetValue(trials), parse.GetValue(seconds), parse.GetValue(catalog), !parse.GetValue(noSymmetry), ctx.Output, ctx.Error));
        return command;
    }

    private static int Run(string samplePath, string searchPath, int bound, int trials, double seconds, string? catalogDir, bool symmetry, TextWriter output, TextWriter error)
    {
        if (catalogDir is not null) return FirstViolations(catalogDir, output, error);
        var sample = Load(samplePath, error);
        var search = Load(searchPath, error);
        if (sample is null || search is null) return ExitCodes.BadInput;

        output.WriteLine($"checker bench: {trials} trials of {seconds} s each, medians; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        foreach (var kind in new[] { StrategyKind.Random, StrategyKind.Pct })
        {
            var one = Median(trials, () => SampleRate(sample, kind, 1, seconds));
            var two = Median(trials, () => SampleRate(sample, kind, 2, seconds));
            output.WriteLine($"{Name(kind),-6} {samplePath}: 1 job {Rate(one.Steps)} steps/s ({Rate(one.Schedules)} schedules/s); "
                + $"2 jobs {Rate(two.Steps)} steps/s = {(two.Steps / one.Steps).ToString("0.00", CultureInfo.InvariantCulture)}x");
        }
        // the depth-first search (1 job) and the parallel one (2 jobs) alternate trial by trial, so that a noisy
        // machine slows both alike
        var onJob = new Figure[trials];
        var onJobs = new Figure[trials];
        for (int t = 0; t < trials; t++)
        {
            onJob[t] = SearchRate(search, bound, symmetry);
            onJobs[t] = ParallelSearchRate(search, bound, symmetry, 2);
        }
        var states = Median(onJob);
        output.WriteLine($"exhaustive {searchPath} bound {bound}: {Rate(states.Steps)} distinct states/s, {Rate(states.Schedules)} transitions/s "
            + $"({states.Count:N0} states, {(states.Complete ? "complete" : "incomplete")}{(symmetry ? "" : ", --no-symmetry")})");
        var parallel = Median(onJobs);
        output.WriteLine(parallel.Complete
            ? $"exhaustive, 2 jobs: {Rate(parallel.Steps)} distinct states/s = {(parallel.Steps / states.Steps).ToString("0.00", CultureInfo.InvariantCulture)}x "
                + $"(median {parallel.Seconds.ToString("0.000", CultureInfo.InvariantCulture)} s against {states.Seconds.ToString("0.000", CultureInfo.InvariantCulture)} s on 1 job; {parallel.Count:N0} states)"
            : "exhaustive, 2 jobs: not measured — the search ends within the one-job probe, or meets a violation or its state limit, where the depth-first search gives the answer");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// For every buggy ordering of a catalog: how long each strategy takes to its first violation (one job,
    /// default budgets; the median of three runs), and the environment actions of each strategy's shrunk
    /// counterexample next to the fewest any violating schedule needs (exhaustive search's minimum).
    /// </summary>
    private static int FirstViolations(string dir, TextWriter output, TextWriter error)
    {
        var programs = OrderingFiles.Load([dir], error);
        if (programs is null) return ExitCodes.BadInput;
        output.WriteLine($"checker bench --catalog {dir}: time to first violation (median of 3, one job) and environment actions of the shrunk counterexample (strategy / exhaustive minimum)");
        output.WriteLine($"{"ordering",-46} {"auto",16} {"random",16} {"pct",16}");
        double worst = 0;
        bool allMinimal = true;
        foreach (var (file, program) in programs)
        {
            if (program.Source.Expect is not { Pass: false }) continue;
            var cells = new List<string>();
            var exhaustive = Explorer.Check(program, file, new ExplorationOptions { Strategy = StrategyKind.Exhaustive });
            foreach (var kind in new[] { StrategyKind.Auto, StrategyKind.Random, StrategyKind.Pct })
            {
                var times = new double[3];
                OrderingResult? result = null;
                for (int trial = 0; trial < 3; trial++)
                {
                    result = Explorer.Check(program, file, new ExplorationOptions { Strategy = kind });
                    times[trial] = result.FirstViolationAfter?.TotalSeconds ?? double.PositiveInfinity;
                }
                Array.Sort(times);
                worst = Math.Max(worst, times[1]);
                string env = "";
                foreach (var (id, cx) in result!.Counterexamples)
                {
                    int minimum = exhaustive.Counterexamples.TryGetValue(id, out var e) ? e.Schedule.EnvironmentActions : -1;
                    env += (env.Length > 0 ? "," : "") + cx.Schedule.EnvironmentActions + "/" + (minimum < 0 ? "-" : minimum.ToString(CultureInfo.InvariantCulture));
                    if (minimum >= 0 && cx.Schedule.EnvironmentActions > minimum) allMinimal = false;
                }
                cells.Add($"{times[1] * 1000:0.0} ms {env}");
            }
            output.WriteLine($"{Path.GetFileNameWithoutExtension(file),-46} {cells[0],16} {cells[1],16} {cells[2],16}");
        }
        output.WriteLine($"slowest first violation: {worst * 1000:0.0} ms; every shrunk counterexample as small as exhaustive's minimum: {(allMinimal ? "yes" : "NO")}");
        return ExitCodes.Ok;
    }

    private static CompiledOrdering? Load(string path, TextWriter error) => OrderingFiles.Load([path], error) is [var one] ? one.Program : null;

    private readonly record struct Figure(double Steps, double Schedules, long Count = 0, bool Complete = false, double Seconds = 0);

    /// <summary>Executed steps and schedules per second over <paramref name="jobs"/> threads, each running the
    /// sampler on its own stripe of schedule indices for the given time.</summary>
    private static Figure SampleRate(CompiledOrdering program, StrategyKind kind, int jobs, double seconds)
    {
        var steps = new long[jobs];
        var schedules = new long[jobs];
        using var start = new Barrier(jobs + 1);
        var threads = new Thread[jobs];
        long deadline = 0;
        for (int j = 0; j < jobs; j++)
        {
            int job = j;
            threads[j] = new Thread(() =>
            {
                var sampler = new ScheduleSampler(program, ExplorationOptions.DefaultBound);
                start.SignalAndWait();
                long n = 0, s = 0;
                for (long index = job; ; index += jobs)
                {
                    sampler.Run(kind, Rng.Derive(1, index), ExplorationOptions.DefaultBound, ExplorationOptions.DefaultPctDepth);
                    s += sampler.Length;
                    if ((++n & 1023) == 0 && Stopwatch.GetTimestamp() > Volatile.Read(ref deadline)) break;
                }
                steps[job] = s;
                schedules[job] = n;
            }) { IsBackground = true };
            threads[j].Start();
        }
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref deadline, Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency));
        start.SignalAndWait();
        foreach (var t in threads) t.Join();
        double elapsed = clock.Elapsed.TotalSeconds;
        long totalSteps = 0, totalSchedules = 0;
        for (int j = 0; j < jobs; j++)
        {
            totalSteps += steps[j];
            totalSchedules += schedules[j];
        }
        return new Figure(totalSteps / elapsed, totalSchedules / elapsed);
    }

    private static Figure SearchRate(CompiledOrdering program, int bound, bool symmetry)
    {
        var search = new ExhaustiveExplorer(program, symmetry);
        var clock = Stopwatch.StartNew();
        search.Run(bound, ExplorationOptions.DefaultStateLimit, CancellationToken.None);
        double elapsed = clock.Elapsed.TotalSeconds;
        return new Figure(search.States / elapsed, search.Transitions / elapsed, search.States, search.Complete, elapsed);
    }

    /// <summary>The rate of the exhaustive search as a check runs it on <paramref name="jobs"/> jobs
    /// (<see cref="ExhaustiveAnswer"/>: the depth-first probe, then the parallel search); complete only when the
    /// parallel search proved the ordering (a violation or the state limit makes it the depth-first search's).</summary>
    private static Figure ParallelSearchRate(CompiledOrdering program, int bound, bool symmetry, int jobs)
    {
        var clock = Stopwatch.StartNew();
        var answer = ExhaustiveAnswer.Search(program, bound, ExplorationOptions.DefaultStateLimit, symmetry, jobs, CancellationToken.None);
        double elapsed = clock.Elapsed.TotalSeconds;
        return new Figure(answer.States / elapsed, 0, answer.States, answer.Source == AnswerSource.Parallel, elapsed);
    }

    private static Figure Median(int trials, Func<Figure> measure)
    {
        var figures = new Figure[trials];
        for (int i = 0; i < trials; i++) figures[i] = measure();
        return Median(figures);
    }

    private static Figure Median(Figure[] figures)
    {
        figures = [.. figures];
        Array.Sort(figures, (a, b) => a.Steps.CompareTo(b.Steps));
        return figures[figures.Length / 2];
    }

    private static string Rate(double perSecond) =>
        perSecond >= 1e6 ? (perSecond / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M"
        : (perSecond / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " k";

    private static string Name(StrategyKind kind) => kind == StrategyKind.Random ? "random" : "pct";
}
