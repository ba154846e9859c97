using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Checker.Exploration;
using Checker.Invariants;
using Checker.Vocabulary;
using Checker.Language;
using Checker.Model;

// peers-harness FILE.order [--reps N] [--seeds N] [--bound K] [--pct-depth D] [--rate-seconds S] [--warmup-seconds S]
//
// Times the checker's engine, in process, on one ordering, through Checker.Core's API only (its engine types are internal; Checker.Core grants this assembly InternalsVisibleTo):
//  - exhaustive: ExhaustiveExplorer.Run to completion (it does not stop at the first violation: it keeps the
//    minimal path per invariant, so its complete time is an upper bound on its time to the first counterexample),
//    then Shrinker on the path it found, and Explorer.Check (the CLI's whole pipeline: search, shrink, replay);
//  - pct: ScheduleSampler (the CLI's pct loop, seeded by schedule index as Explorer does) until the first
//    violating schedule, for seeds 1..N, then the shrinker; and schedules/s over a fixed time on this ordering.
// The first measurement of each kind is "cold": it includes the JIT compiling the engine. Then the engine is warmed
// up (--warmup-seconds of exhaustive searches, so that the JIT's tier-1 code is in place) and the repetitions are
// timed; medians are printed. pct seeds 2..N are warm (seed 1 is the cold one). One JSON document on stdout.

var args2 = Environment.GetCommandLineArgs()[1..];
if (args2.Length == 0)
{
    Console.Error.WriteLine("usage: peers-harness FILE.order [--reps N] [--seeds N] [--bound K] [--pct-depth D] [--rate-seconds S]");
    return 1;
}
string file = args2[0];
int reps = IntOption("--reps", 21);
int seeds = IntOption("--seeds", 21);
int bound = IntOption("--bound", ExplorationOptions.DefaultBound);
int pctDepth = IntOption("--pct-depth", ExplorationOptions.DefaultPctDepth);
double rateSeconds = DoubleOption("--rate-seconds", 1.0);
double warmupSeconds = DoubleOption("--warmup-seconds", 1.0);

var processClock = Stopwatch.StartNew();
var parsed = OrderingParser.Parse(File.ReadAllText(file), file);
if (!parsed.Ok)
{
    foreach (var d in parsed.Diagnostics) Console.Error.WriteLine(d);
    return 1;
}
var program = CompiledOrdering.Compile(parsed.Ordering!);
double parseMs = processClock.Elapsed.TotalMilliseconds;

// ---- exhaustive: the first search in this process (cold: JIT included), a warm-up, then timed repetitions ----
var exhaustiveTimes = new double[reps + 1];
ExhaustiveExplorer search = Exhaustive(out exhaustiveTimes[0]);
var options = new ExplorationOptions { Strategy = StrategyKind.Exhaustive, Bound = bound };
var checkClock = Stopwatch.StartNew();
Explorer.Check(program, file, options);
double checkCold = checkClock.Elapsed.TotalMilliseconds;
var warmup = Stopwatch.StartNew();
while (warmup.Elapsed.TotalSeconds < warmupSeconds)
{
    Exhaustive(out _);
    Explorer.Check(program, file, options);
}
for (int r = 1; r <= reps; r++) search = Exhaustive(out exhaustiveTimes[r]);
var found = new List<string>();
int rawLength = -1, shrunkLength = -1, envActions = -1;
string? trace = null;
for (int id = 0; id < 8; id++)
{
    if (search.Found[id] is not { } path) continue;
    found.Add(Invariant.NameOf((InvariantId)id));
    if (rawLength >= 0) continue;
    rawLength = path.Length;
    envActions = search.FoundEnvironmentActions[id];
    var shrunk = new Shrinker(program).Shrink(path, (InvariantId)id);
    shrunkLength = shrunk.Length;
    trace = new Schedule(program, [.. shrunk]).ToString();
}
var checkTimes = new double[reps];
for (int r = 0; r < reps; r++)
{
    var clock = Stopwatch.StartNew();
    Explorer.Check(program, file, options);
    checkTimes[r] = clock.Elapsed.TotalMilliseconds;
}
double exhaustiveWarm = Median(exhaustiveTimes[1..]);

// ---- pct: until the first violation, seeds 1..N (seed 1 first: cold) ----
var sampler = new ScheduleSampler(program, bound);
var shrinker = new Shrinker(program);
var firstTimes = new List<double>();
var firstSchedules = new List<double>();
var pctLengths = new List<double>();
var pctFound = new SortedSet<string>(StringComparer.Ordinal);
double? pctCold = null;
const long scheduleCap = 200_000; // the CLI's default --schedules
long capHit = 0;
for (ulong seed = 1; seed <= (ulong)seeds; seed++)
{
    var clock = Stopwatch.StartNew();
    long index = 0;
    uint violated = 0;
    for (; index < scheduleCap; index++)
    {
        violated = sampler.Run(StrategyKind.Pct, Rng.Derive(seed, index), bound, pctDepth);
        if (violated != 0) break;
    }
    double ms = clock.Elapsed.TotalMilliseconds;
    if (seed == 1) pctCold = ms;
    if (violated == 0)
    {
        capHit++;
        continue;
    }
    if (seed > 1 || seeds == 1) firstTimes.Add(ms);
    firstSchedules.Add(index + 1);
    var id = (InvariantId)BitOperations.TrailingZeroCount(violated);
    pctFound.Add(Invariant.NameOf(id));
    pctLengths.Add(shrinker.Shrink(sampler.Steps.AsSpan(0, sampler.Length), id).Length);
}

// ---- pct throughput: schedules and steps per second over rateSeconds (seed 1, schedule indices 0, 1, ...) ----
long schedules = 0, steps = 0;
var rateClock = Stopwatch.StartNew();
long deadline = (long)(rateSeconds * Stopwatch.Frequency);
for (long index = 0; ; index++)
{
    sampler.Run(StrategyKind.Pct, Rng.Derive(1, index), bound, pctDepth);
    schedules++;
    steps += sampler.Length;
    if ((schedules & 1023) == 0 && rateClock.ElapsedTicks > deadline) break;
}
double rateElapsed = rateClock.Elapsed.TotalSeconds;

var doc = new Dictionary<string, object?>
{
    ["file"] = file,
    ["name"] = program.Name,
    ["expect"] = program.Source.ExpectText,
    ["bound"] = bound,
    ["parseMs"] = parseMs,
    ["exhaustive"] = new Dictionary<string, object?>
    {
        ["coldMs"] = exhaustiveTimes[0],
        ["warmMedianMs"] = exhaustiveWarm,
        ["states"] = search.States,
        ["expansions"] = search.Expansions,
        ["transitions"] = search.Transitions,
        ["complete"] = search.Complete,
        ["found"] = found,
        ["rawLength"] = rawLength,
        ["shrunkLength"] = shrunkLength,
        ["environmentActions"] = envActions,
        ["statesPerSecond"] = search.States / (exhaustiveWarm / 1000.0),
        ["transitionsPerSecond"] = search.Transitions / (exhaustiveWarm / 1000.0),
        ["checkColdMs"] = checkCold,
        ["checkWarmMedianMs"] = Median(checkTimes),
        ["trace"] = trace,
    },
    ["pct"] = new Dictionary<string, object?>
    {
        ["depth"] = pctDepth,
        ["seeds"] = seeds,
        ["seedsWithoutViolation"] = capHit,
        ["scheduleCap"] = scheduleCap,
        ["coldMs"] = pctCold,
        ["firstMedianMs"] = firstTimes.Count > 0 ? Median([.. firstTimes]) : null,
        ["firstSchedulesMedian"] = firstSchedules.Count > 0 ? Median([.. firstSchedules]) : null,
        ["shrunkLengthMedian"] = pctLengths.Count > 0 ? Median([.. pctLengths]) : null,
        ["shrunkLengthMax"] = pctLengths.Count > 0 ? Max(pctLengths) : null,
        ["found"] = pctFound,
        ["schedulesPerSecond"] = schedules / rateElapsed,
        ["stepsPerSecond"] = steps / rateElapsed,
    },
};
Console.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
return 0;

ExhaustiveExplorer Exhaustive(out double ms)
{
    var clock = Stopwatch.StartNew();
    var explorer = new ExhaustiveExplorer(program);
    explorer.Run(bound, ExplorationOptions.DefaultStateLimit, CancellationToken.None);
    ms = clock.Elapsed.TotalMilliseconds;
    return explorer;
}

int IntOption(string name, int fallback)
{
    int k = Array.IndexOf(args2, name);
    return k >= 0 && k + 1 < args2.Length ? int.Parse(args2[k + 1], CultureInfo.InvariantCulture) : fallback;
}

double DoubleOption(string name, double fallback)
{
    int k = Array.IndexOf(args2, name);
    return k >= 0 && k + 1 < args2.Length ? double.Parse(args2[k + 1], CultureInfo.InvariantCulture) : fallback;
}

static double Median(double[] values)
{
    if (values.Length == 0) return double.NaN;
    var copy = (double[])values.Clone();
    Array.Sort(copy);
    int n = copy.Length;
    return n % 2 == 1 ? copy[n / 2] : (copy[n / 2 - 1] + copy[n / 2]) / 2;
}

static double Max(List<double> values)
{
    double max = double.MinValue;
    foreach (double v in values) max = Math.Max(max, v);
    return max;
}
