using Checker.Exploration;
using Checker.Generators;
using Checker.Language;
using Checker.Model;
using Checker.Vocabulary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Properties.Laws;

/// <summary>
/// Law 7: a counterexample written as a <c>.trace</c> file reads back to the same invariant, step and
/// schedule, and replays (the recorded invariant at the recorded step).
/// </summary>
public class TraceLaws(ITestOutputHelper output)
{
    public delegate string FormatFunction(Counterexample counterexample, string orderingText);

    public static readonly FormatFunction RealFormat = (cx, text) => TraceFile.Format(cx, text, "generated.order", "law 7");

    public static Property TracesRoundTripAndReplay(FormatFunction format) =>
        Prop.ForAll(OrderingGen.Arbitrary(new OrderingShape(MinCpus: 1, MinDevices: 1)), Arb.From(Gen.Choose(0, int.MaxValue)), (ordering, seed) =>
        {
            var program = CompiledOrdering.Compile(ordering);
            foreach (var schedule in Steps.Sampled(program, seed, 100, 4))
            {
                var run = Executor.Run(program, schedule);
                if (run.Violation is not { } v) continue;
                var cx = new Counterexample(schedule, v, "law 7");
                string text = format(cx, OrderingPrinter.Print(ordering));
                var (trace, diagnostics) = TraceFile.Parse(text, "law7.trace");
                if (trace is null) return false.Label("the trace does not read back:\n" + string.Join("\n", diagnostics) + "\n" + text);
                var replay = TraceFile.Replay(trace);
                return (trace.Invariant == v.Id && trace.Step == v.Step + 1).Label("the same invariant and step")
                    .And(trace.Schedule.Equals(schedule).Label("the same schedule"))
                    .And(replay.Reproduced.Label("it replays: " + replay.Message))
                    .Classify(schedule.EnvironmentActions > 0, "with environment actions")
                    .Classify(v.CoViolations.Count > 0, "with co-violations")
                    .Collect(v.Name);
            }
            return true.ToProperty().Classify(true, "no violation in 100 schedules");
        });

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property ATraceFileRoundTripsAndReplays() => TracesRoundTripAndReplay(RealFormat);

    [Fact]
    public void TheTraceLawCatchesAWriterThatLosesTheViolatingStep()
    {
        // a planted bug: the writer stops one schedule line short (the violating step is lost)
        string? report = Falsify.Run(TracesRoundTripAndReplay((cx, text) =>
        {
            var lines = RealFormat(cx, text).Split('\n').ToList();
            int end = lines.IndexOf("--- end");
            lines.RemoveAt(end - 1);
            return string.Join("\n", lines);
        }));
        Assert.True(report is not null, "the trace law did not catch a writer that loses the last step");
        output.WriteLine(report);
    }
}
