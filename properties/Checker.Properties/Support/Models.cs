using Checker.Exploration;
using Checker.Invariants;
using Checker.Language;
using Checker.Model;
using Xunit;
using Checker.Vocabulary;

namespace Checker.Properties.Support;

/// <summary>Compiles orderings and runs hand-written schedules for the tests.</summary>
public static class Models
{
    public static Ordering Parse(string text, string file = "test.order")
    {
        var result = OrderingParser.Parse(text, file);
        Assert.True(result.Ok, "the test ordering does not parse:\n" + string.Join("\n", result.Diagnostics));
        return result.Ordering!;
    }

    public static CompiledOrdering Compile(string text) => CompiledOrdering.Compile(Parse(text));

    /// <summary>
    /// Reads a schedule in trace form, one step a line (<c>dev0: read 0</c>, <c>t: ptl_lock</c>). A line
    /// <c>NAME*K</c> is shorthand for K steps of thread NAME whose op texts are not checked.
    /// </summary>
    public static Schedule Schedule(CompiledOrdering program, string steps)
    {
        var lines = new List<string>();
        foreach (var raw in steps.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            int star = line.IndexOf('*');
            if (star > 0 && !line.Contains(':'))
            {
                int count = int.Parse(line[(star + 1)..]);
                for (int k = 0; k < count; k++) lines.Add(line[..star] + ":");
            }
            else lines.Add(line);
        }
        var (schedule, diagnostics) = Checker.Exploration.Schedule.Parse(program, lines, "test.trace", 1);
        Assert.True(schedule is not null, "the test schedule does not parse:\n" + string.Join("\n", diagnostics));
        return schedule!;
    }

    public static RunResult Run(string ordering, string steps)
    {
        var program = Compile(ordering);
        return Executor.Run(program, Schedule(program, steps));
    }

    /// <summary>Runs and returns the machine too, to look at the state afterwards.</summary>
    internal static (RunResult Result, Machine Machine) RunWithMachine(string ordering, string steps)
    {
        var program = Compile(ordering);
        var machine = new Machine(program);
        var result = Executor.Run(machine, Schedule(program, steps));
        return (result, machine);
    }

    public static void AssertViolation(RunResult result, InvariantId expected, int? step = null)
    {
        Assert.False(result.Diverged, "the schedule diverged: " + result.Divergence);
        Assert.True(result.Violation is not null, $"expected {Invariant.NameOf(expected)}, but no invariant was violated");
        Assert.True(result.Violation!.Id == expected, $"expected {Invariant.NameOf(expected)}, got {result.Violation}");
        if (step is { } s) Assert.Equal(s, result.Violation.Step + 1);
    }

    public static void AssertNoViolation(RunResult result)
    {
        Assert.False(result.Diverged, "the schedule diverged: " + result.Divergence);
        Assert.True(result.Violation is null, "unexpected violation: " + result.Violation);
    }

    /// <summary>IOTLB of device <paramref name="d"/> as a page mask.</summary>
    internal static ulong Iotlb(Machine m, int d = 0) => m.State.W[m.State.IotlbValid + d];

    internal static ulong Tlb(Machine m, int c = 0) => m.State.W[m.State.TlbValid + c];

    internal static ulong Spte(Machine m, int sh = 0) => m.State.W[m.State.SpteValid + sh];
}
