using Checker.Generators;
using Checker.Model;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Properties.Laws;

/// <summary>
/// Law 3: equal states give equal enabled choices. Machines driven by different schedules to states with
/// the same hash (and the same environment budget left) enable the same choices, inert ones included and
/// left out — what lets exhaustive search prune a state it has already seen by its hash alone.
/// </summary>
public class StateLaws(ITestOutputHelper output)
{
    private const int SchedulesPerCase = 8;
    private const int Bound = 3;

    internal static Property EqualStatesEnableEqualChoices(Func<ModelState, ulong> hash) =>
        Prop.ForAll(OrderingGen.Arbitrary(), Arb.From(Gen.Choose(0, int.MaxValue)), (ordering, seed) =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var machine = new Machine(program);
            var buffer = new Choice[Math.Max(1, machine.MaxChoices)];
            var seen = new Dictionary<(ulong, int), (string Choices, int Schedule, int Step)>();
            int matches = 0, crossMatches = 0;
            string? failure = null;
            int index = 0;
            foreach (var schedule in Steps.Sampled(program, seed, SchedulesPerCase, Bound))
            {
                machine.Reset(Bound);
                for (int k = 0; k <= schedule.Count && failure is null; k++)
                {
                    var key = (hash(machine.State), machine.EnvRemaining);
                    string choices = Enabled(machine, buffer, false) + " | " + Enabled(machine, buffer, true);
                    if (seen.TryGetValue(key, out var earlier))
                    {
                        matches++;
                        if (earlier.Schedule != index) crossMatches++;
                        if (earlier.Choices != choices)
                            failure = $"schedule {earlier.Schedule} after {earlier.Step} steps and schedule {index} after {k} steps reach hash 0x{key.Item1:x} "
                                + $"with {key.Item2} environment actions left, but enable\n  {earlier.Choices}\nand\n  {choices}";
                    }
                    else seen[key] = (choices, index, k);
                    if (k == schedule.Count || !machine.CanStep(schedule.Steps[k]) || machine.Step(schedule.Steps[k]) != 0) break;
                }
                if (failure is not null) break;
                index++;
            }
            return (failure is null).Label(failure ?? "equal states enable equal choices")
                .Classify(crossMatches > 1, "states met again by a different schedule")
                .Classify(matches - crossMatches > 0, "states met again within one schedule")
                .Collect($"distinct states {Bucket(seen.Count)}");
        });

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property MachinesInTheSameStateEnableTheSameChoices() => EqualStatesEnableEqualChoices(s => s.Hash());

    [Fact]
    public void TheEqualStatesLawCatchesAHashThatLeavesOutProgramCountersAndLocks()
    {
        // a planted bug: the hash reads only the masks (W), not the ints (I): program counters, locks, frames
        string? report = Falsify.Run(EqualStatesEnableEqualChoices(HashOfMasksOnly));
        Assert.True(report is not null, "the equal-states law did not catch a hash that leaves out half the state");
        output.WriteLine(report);
    }

    private static ulong HashOfMasksOnly(ModelState s)
    {
        ulong h = 1469598103934665603UL;
        foreach (ulong word in s.W) h = unchecked((h ^ word) * 1099511628211UL);
        return h;
    }

    private static string Enabled(Machine machine, Choice[] buffer, bool skipInert)
    {
        int n = machine.EnabledChoices(buffer, skipInert);
        var parts = new string[n];
        for (int k = 0; k < n; k++) parts[k] = $"{buffer[k].Actor}:{buffer[k].Action}:{buffer[k].Page}";
        return string.Join(",", parts);
    }

    private static string Bucket(int n) => n < 20 ? "< 20" : n < 100 ? "20-99" : ">= 100";
}
