using Xunit;

namespace Checker.Properties.Support;

/// <summary>
/// A <see cref="FactAttribute"/> for a test that needs headless Chromium: when Chromium is not on PATH the test is
/// skipped at discovery, with the reason and how to install it, so that <c>dotnet test</c> is green on a fresh
/// machine. With <c>CHECKER_REQUIRE_CHROMIUM=1</c> (set by .ci/run, which installs Chromium) it is never skipped, and
/// a missing Chromium fails the test through <see cref="Chromium.Require"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (SkipReason(Chromium.Required, Chromium.Find() is not null) is { } reason) Skip = reason;
    }

    /// <summary>Why the test is skipped, or null when it runs.</summary>
    public static string? SkipReason(bool required, bool installed) =>
        required || installed
            ? null
            : $"headless Chromium is not installed, so the HTML report cannot be rendered: {Chromium.InstallHint}; "
              + $"set {Chromium.RequireVariable}=1 to make this a failure instead";
}
