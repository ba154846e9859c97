using Checker.Xunit;
using Xunit;

namespace DriverTests;

/// <summary>
/// What a failing check looks like: wrong-expectations/ holds an ordering that says <c>expect pass</c> but is
/// broken. It fails with the counterexample's step table and its trace. Kept out of the default run: it runs only
/// with <c>CHECKER_EXAMPLE_FAILING=1</c> (.ci/run does, and expects exactly this failure):
/// <code>CHECKER_EXAMPLE_FAILING=1 dotnet test examples/DriverTests --filter Example=fails</code>
/// </summary>
public class WrongExpectationTests
{
    [FailingExampleTheory, OrderingProperty("wrong-expectations/*.order")]
    [Trait("Example", "fails")]
    public void AWrongExpectationFailsWithTheStepTable(OrderingFile ordering) => ordering.Check();
}
