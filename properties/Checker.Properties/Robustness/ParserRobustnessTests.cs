using System.Diagnostics;
using System.Text.RegularExpressions;
using Checker.Exploration;
using Checker.Generators;
using Checker.Language;
using Checker.Model;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Checker.Properties.Robustness;

/// <summary>
/// Whatever the text — arbitrary strings, token soups, valid orderings with one mutation — parsing returns an
/// ordering or well-formed diagnostics, never an exception, never a hang; and what parses also prints back,
/// compiles and runs. 10,000 cases in the regular suite; set CHECKER_SOAK=1 for a million.
/// </summary>
public partial class ParserRobustnessTests
{
    private static int Cases => Environment.GetEnvironmentVariable("CHECKER_SOAK") is { Length: > 0 } ? 1_000_000 : 10_000;

    [GeneratedRegex(@"^hostile\.order:\d+:\d+: (error|warning): .+ — .+$", RegexOptions.Singleline)]
    private static partial Regex DiagnosticFormat();

    [Fact]
    public async Task HostileTextGetsAnOrderingOrDiagnosticsNeverAnExceptionOrAHang()
    {
        string? current = null; // the input being parsed, for the watchdog's message
        var property = Prop.ForAll(HostileTextGen.Arbitrary(), text =>
        {
            Volatile.Write(ref current, text);
            var clock = Stopwatch.StartNew();
            var result = OrderingParser.Parse(text, "hostile.order");
            bool prompt = clock.Elapsed < TimeSpan.FromSeconds(2);
            int errors = 0;
            foreach (var d in result.Diagnostics) errors += d.IsWarning ? 0 : 1;
            bool wellFormed = result.Ok ? errors == 0 : errors > 0;
            foreach (var d in result.Diagnostics) wellFormed &= DiagnosticFormat().IsMatch(d.ToString());
            bool runs = true;
            if (result.Ok)
            {
                var ordering = result.Ordering!;
                runs = OrderingParser.Parse(OrderingPrinter.Print(ordering), "hostile.order").Ordering == ordering;
                var program = CompiledOrdering.Compile(ordering);
                var sampler = new ScheduleSampler(program, 4);
                sampler.Run(StrategyKind.Random, (ulong)text.Length, 4, 3);
                Executor.Run(program, new Schedule(program, [.. sampler.Steps.AsSpan(0, sampler.Length)]));
            }
            return prompt.Label("parsed within 2 s (no hang)")
                .And(wellFormed.Label("an ordering, or FILE:LINE:COL: error: … — … diagnostics"))
                .And(runs.Label("what parses prints back to itself, compiles and runs"))
                .Classify(result.Ok, "parsed")
                .Classify(!result.Ok, "rejected");
        });
        // a real hang never returns to the per-case clock above: a watchdog fails the test and names the input
        var run = Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases).WithQuietOnSuccess(true), property));
        var deadline = Cases > 10_000 ? TimeSpan.FromHours(1) : TimeSpan.FromMinutes(3);
        if (await Task.WhenAny(run, Task.Delay(deadline)) != run)
            Assert.Fail($"parsing hung (no result within {deadline}); the input: {System.Text.Json.JsonSerializer.Serialize(Volatile.Read(ref current))}");
        await run; // a failed property rethrows here
    }
}
