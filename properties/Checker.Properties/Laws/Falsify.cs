using FsCheck;

namespace Checker.Properties.Laws;

/// <summary>
/// Runs a law against a deliberately broken variant of the thing it tests, the way <c>dotnet test</c> runs it
/// against the real one: a law that cannot fail is a defect (STYLE.md), so each law's companion test asserts
/// that FsCheck falsifies it on a planted bug, and keeps the shrunk counterexample FsCheck printed.
/// </summary>
public static class Falsify
{
    /// <summary>FsCheck's report when the property is falsified within <paramref name="maxTest"/> cases; null when it held.</summary>
    public static string? Run(Property property, int maxTest = 100)
    {
        try
        {
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithQuietOnSuccess(true), property);
            return null;
        }
        catch (Exception e) when (e.Message.Contains("Falsifiable", StringComparison.Ordinal))
        {
            return e.Message;
        }
    }
}
