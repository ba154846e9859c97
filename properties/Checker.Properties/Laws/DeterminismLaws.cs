using Checker.Exploration;
using Checker.Generators;
using Checker.Model;
using Checker.Vocabulary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Properties.Laws;

/// <summary>
/// Law 8: the same ordering, strategy and seed give the same exploration result with <c>--jobs 1</c> and
/// <c>--jobs 2</c>: the verdict, the counts, the found set and every counterexample with its origin.
/// </summary>
public class DeterminismLaws(ITestOutputHelper output)
{
    public delegate OrderingResult CheckFunction(CompiledOrdering program, ExplorationOptions options);

    public static readonly CheckFunction RealCheck = (program, options) => Explorer.Check(program, "g.order", options);

    private static readonly ExplorationOptions Small = new()
    {
        Bound = 2,
        Schedules = 100,
        StateLimit = 3_000,
        ShrinkBudget = 500,
    };

    private static string Fingerprint(OrderingResult r)
    {
        var parts = new List<string> { r.Met.ToString(), r.Schedules.ToString(), r.States.ToString(), r.Complete.ToString() };
        foreach (var (id, cx) in r.Counterexamples) parts.Add(Invariant.NameOf(id) + "\n" + cx.Schedule + cx.Origin);
        return string.Join("\n", parts);
    }

    public static Property OneJobOrTwoGiveTheSameResult(CheckFunction check) =>
        Prop.ForAll(OrderingGen.Arbitrary(), Arb.From(Gen.Choose(0, int.MaxValue)), Arb.From(Gen.Elements(StrategyKind.Random, StrategyKind.Pct, StrategyKind.Auto)),
            (ordering, seed, strategy) =>
            {
                var program = CompiledOrdering.Compile(ordering);
                var options = Small with { Seed = (ulong)seed, Strategy = strategy };
                string one = Fingerprint(check(program, options with { Jobs = 1 }));
                var two = check(program, options with { Jobs = 2 });
                return (one == Fingerprint(two)).Label($"--jobs 1 gave\n{one}\n--jobs 2 gave\n{Fingerprint(two)}")
                    .Classify(two.Found.Count > 0, "found a violation")
                    .Collect(strategy);
            });

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property TheSameSeedGivesTheSameResultForOneJobAndTwo() => OneJobOrTwoGiveTheSameResult(RealCheck);

    [Fact]
    public void TheDeterminismLawCatchesSeedsThatDependOnTheJobCount()
    {
        // a planted bug: each job count seeds its schedules differently
        string? report = Falsify.Run(OneJobOrTwoGiveTheSameResult((program, options) =>
            RealCheck(program, options with { Seed = options.Seed + (ulong)options.Jobs })));
        Assert.True(report is not null, "the determinism law did not catch seeds that depend on --jobs");
        output.WriteLine(report);
    }
}
