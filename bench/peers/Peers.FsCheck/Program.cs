using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FsCheck;
using FsCheck.Experimental;
using Microsoft.FSharp.Core;
using Peers.FsCheck;

// peers-fscheck SCENARIO [--max-test N] [--seeds N] [--bound K] [--warmup-ms M]
//
// Checks the state-machine property StateMachine.ToProperty(new MmSpec(scenario)) with Check.One, once per seed
// (FsCheck's Replay = Rnd(seed)), and prints one JSON document: per seed, whether it failed, after how many runs,
// the time to the first failing run (before shrinking) and to the end of shrinking, and the shrunk run.
// Seed 1 runs first and is "cold" (it includes the JIT); then M ms of warm-up on other seeds; then seeds 1..N are
// timed again, warm, and medians printed.

string[] a = Environment.GetCommandLineArgs()[1..];
if (a.Length == 0)
{
    Console.Error.WriteLine("usage: peers-fscheck SCENARIO [--max-test N] [--seeds N] [--bound K] [--warmup-ms M]   (SCENARIO: "
        + string.Join(", ", Scenario.All) + ")");
    return 1;
}
var scenario = Scenario.Named(a[0], Option("--bound", 4));
int maxTest = Option("--max-test", 100);
int seeds = Option("--seeds", 11);
double warmupSeconds = Option("--warmup-ms", 1000) / 1000.0;
var spec = new MmSpec(scenario);
var property = spec.ToProperty();

var runsToFailure = new List<double>();
var firstMs = new List<double>();
var totalMs = new List<double>();
var shrunkLengths = new List<double>();
var runsPerSecond = new List<double>();
var opsPerSecond = new List<double>();
var found = new SortedSet<string>(StringComparer.Ordinal);
int failedSeeds = 0;
double? coldFirstMs = null, coldTotalMs = null;
string? shrunkText = null;
// cold: seed 1 in a fresh process (JIT included); then a warm-up on other seeds; then seeds 1..N, timed
var cold = RunSeed(1);
coldTotalMs = cold.Total;
coldFirstMs = cold.First;
var warmup = Stopwatch.StartNew();
for (int w = 10_001; warmup.Elapsed.TotalSeconds < warmupSeconds; w++) RunSeed(w);
for (int seed = 1; seed <= seeds; seed++)
{
    var (result, total, _) = RunSeed(seed);
    if (result is TestResult.Failed failed)
    {
        failedSeeds++;
        firstMs.Add(MmSpec.Stats.FirstFailure!.Value.TotalMilliseconds);
        totalMs.Add(total);
        runsToFailure.Add(MmSpec.Stats.RunsAtFirstFailure);
        var run = (MachineRun<Mm, Model>)failed.Item3.Head;
        shrunkLengths.Add(run.Operations.Length);
        found.Add(ViolatedInvariant(run));
        if (shrunkText is null)
        {
            var lines = new List<string>();
            foreach (var (op, _) in run.Operations) lines.Add(op.ToString()!);
            shrunkText = string.Join("\n", lines);
        }
    }
    else
    {
        runsPerSecond.Add(MmSpec.Stats.Runs / (total / 1000.0));
        opsPerSecond.Add(MmSpec.Stats.Operations / (total / 1000.0));
    }
}

var doc = new Dictionary<string, object?>
{
    ["scenario"] = scenario.Name,
    ["expect"] = scenario.Expect,
    ["bound"] = scenario.Bound,
    ["maxTest"] = maxTest,
    ["maxNumberOfCommands"] = scenario.MaxRunLength,
    ["seeds"] = seeds,
    ["failedSeeds"] = failedSeeds,
    ["found"] = found,
    ["coldFirstMs"] = coldFirstMs,
    ["coldTotalMs"] = coldTotalMs,
    ["firstMedianMs"] = Median(firstMs),
    ["totalMedianMs"] = Median(totalMs),
    ["runsToFailureMedian"] = Median(runsToFailure),
    ["shrunkLengthMedian"] = Median(shrunkLengths),
    ["shrunkLengthMin"] = shrunkLengths.Count > 0 ? Min(shrunkLengths) : null,
    ["shrunkLengthMax"] = shrunkLengths.Count > 0 ? Max(shrunkLengths) : null,
    ["runsPerSecondMedian"] = Median(runsPerSecond),
    ["operationsPerSecondMedian"] = Median(opsPerSecond),
    ["shrunk"] = shrunkText,
};
Console.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
return 0;

(TestResult? Result, double Total, double? First) RunSeed(int seed)
{
    var runner = new CapturingRunner();
    var config = Config.Quick
        .WithMaxTest(maxTest)
        .WithQuietOnSuccess(true)
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd((ulong)seed), FSharpOption<int>.None)))
        .WithRunner(runner);
    MmSpec.Stats.Reset();
    Check.One(config, property);
    return (runner.Result, MmSpec.Stats.Clock.Elapsed.TotalMilliseconds, MmSpec.Stats.FirstFailure?.TotalMilliseconds);
}

// replays the shrunk run on a fresh Mm to name the invariant it breaks
string ViolatedInvariant(MachineRun<Mm, Model> run)
{
    var mm = new Mm(scenario);
    var pcs = new int[scenario.Threads.Count];
    foreach (var (op, _) in run.Operations)
    {
        string text = op.ToString()!;
        int colon = text.IndexOf(':');
        string actor = text[..colon], rest = text[(colon + 2)..];
        string? v = null;
        if (actor == "dev0")
        {
            var parts = rest.Split(' ');
            var action = parts[0] switch { "read" => DeviceAction.Read, "write" => DeviceAction.Write, _ => DeviceAction.Prefetch };
            v = mm.Device(action, int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        else if (actor == "alloc") mm.Reuse();
        else
        {
            int t = 0;
            while (scenario.Threads[t].Name != actor) t++;
            var ops = scenario.Threads[t].Ops;
            v = mm.Kernel(t, ops[pcs[t]], pcs[t] == ops.Length - 1);
            pcs[t]++;
        }
        if (v is not null) return v;
    }
    return "model-disagreement";
}

int Option(string name, int fallback)
{
    int k = Array.IndexOf(a, name);
    return k >= 0 && k + 1 < a.Length ? int.Parse(a[k + 1], CultureInfo.InvariantCulture) : fallback;
}

static double? Median(List<double> values)
{
    if (values.Count == 0) return null;
    var copy = values.ToArray();
    Array.Sort(copy);
    int n = copy.Length;
    return n % 2 == 1 ? copy[n / 2] : (copy[n / 2 - 1] + copy[n / 2]) / 2;
}

static double Min(List<double> values)
{
    double min = double.MaxValue;
    foreach (double v in values) min = Math.Min(min, v);
    return min;
}

static double Max(List<double> values)
{
    double max = double.MinValue;
    foreach (double v in values) max = Math.Max(max, v);
    return max;
}

/// <summary>Keeps FsCheck's final result instead of printing it.</summary>
sealed class CapturingRunner : IRunner
{
    public TestResult? Result { get; private set; }

    public void OnStartFixture(Type t) { }

    public void OnArguments(int ntest, Microsoft.FSharp.Collections.FSharpList<object> args,
        FSharpFunc<int, FSharpFunc<Microsoft.FSharp.Collections.FSharpList<object>, string>> every) { }

    public void OnShrink(Microsoft.FSharp.Collections.FSharpList<object> args,
        FSharpFunc<Microsoft.FSharp.Collections.FSharpList<object>, string> everyShrink) { }

    public void OnFinished(string name, TestResult result) => Result = result;
}
