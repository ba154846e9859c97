using Xunit;

namespace DriverTests;

/// <summary>A <c>[Theory]</c> that is skipped unless <c>CHECKER_EXAMPLE_FAILING=1</c>: for the example that is meant
/// to fail, so that the default <c>dotnet test</c> stays green.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FailingExampleTheoryAttribute : TheoryAttribute
{
    public const string Variable = "CHECKER_EXAMPLE_FAILING";

    public FailingExampleTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
            Skip = $"an example meant to fail: set {Variable}=1 to run it (.ci/run does, and expects it to fail)";
    }
}
