using BenchmarkDotNet.Attributes;
using Checker.Exploration;
using Checker.Generators;
using Checker.Language;
using Checker.Model;
using FsCheck;
using FsCheck.Fluent;

namespace Checker.Benchmarks;

/// <summary>
/// What FsCheck costs per test when each test is one schedule of the fork ordering: the engine's own loop
/// (ScheduleSampler, as random/pct use it), the same sampler call inside Prop.ForAll (FsCheck's generation,
/// Rnd splitting and result bookkeeping around identical work), and the FsCheck-native way — generated
/// Schedule values replayed by Executor in the property. Each benchmark runs 10,000 schedules.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class FsCheckOverhead
{
    private const int Schedules = 10_000;
    private CompiledOrdering program = null!;
    private ScheduleSampler sampler = null!;
    private Config config = null!;

    [GlobalSetup]
    public void Setup()
    {
        string path = Path.Combine(FindRoot(), "catalog", "fork-6.0.order");
        program = CompiledOrdering.Compile(OrderingParser.Parse(File.ReadAllText(path), path).Ordering!);
        sampler = new ScheduleSampler(program, ExplorationOptions.DefaultBound);
        config = Config.QuickThrowOnFailure.WithMaxTest(Schedules).WithQuietOnSuccess(true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Schedules)]
    public long EngineLoop()
    {
        long steps = 0;
        for (int i = 0; i < Schedules; i++)
        {
            sampler.Run(StrategyKind.Random, Rng.Derive(1, i), ExplorationOptions.DefaultBound, ExplorationOptions.DefaultPctDepth);
            steps += sampler.Length;
        }
        return steps;
    }

    [Benchmark(OperationsPerInvoke = Schedules)]
    public void FsCheckForAllAroundTheSameSampler()
    {
        var property = Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            sampler.Run(StrategyKind.Random, (ulong)seed, ExplorationOptions.DefaultBound, ExplorationOptions.DefaultPctDepth);
            return true;
        });
        Check.One(config, property);
    }

    [Benchmark(OperationsPerInvoke = Schedules)]
    public void FsCheckGeneratedSchedulesReplayed()
    {
        var property = Prop.ForAll(ScheduleGen.Arbitrary(program), schedule => Executor.Run(program, schedule).Violation is null || true);
        Check.One(config, property);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Checker.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("run from inside the repository");
    }
}
