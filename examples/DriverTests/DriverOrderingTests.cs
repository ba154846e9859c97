using Checker.Xunit;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace DriverTests;

/// <summary>What a driver team writes: every ordering in orderings/ meets its <c>expect</c> line, every saved
/// counterexample in counterexamples/ still reproduces, and the fixed fork holds under any random seed.</summary>
public class DriverOrderingTests
{
    [Theory, OrderingProperty("orderings/*.order")]
    public void EveryOrderingMeetsItsExpectation(OrderingFile ordering) => ordering.Check();

    [Theory, TraceReplay("counterexamples/*.trace")]
    public void EverySavedCounterexampleStillReproduces(CounterexampleTrace trace) => trace.Replay();

    [Property(MaxTest = 5, QuietOnSuccess = true)]
    public Property TheFixedForkHoldsUnderAnyRandomSeed() =>
        OrderingProperties.ExpectationHoldsForEverySeed(OrderingFile.Find("orderings/fork-only-end-with-ir.order")[0]);
}
