using System.Reflection;

namespace Checker.Cli;

/// <summary>The version of this build and the git commit it was built from (embedded by the csproj from
/// <c>git rev-parse --short HEAD</c>; <c>unknown</c> when the build had no git).</summary>
public static class BuildInfo
{
    public static string Version
    {
        get
        {
            string informational = typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            int plus = informational.IndexOf('+');
            return plus < 0 ? informational : informational[..plus];
        }
    }

    public static string Commit
    {
        get
        {
            foreach (var a in typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
                if (a.Key == "CheckerCommit" && !string.IsNullOrEmpty(a.Value)) return a.Value;
            return "unknown";
        }
    }

    /// <summary>What <c>checker --version</c> prints.</summary>
    public static string Text => $"checker {Version} (commit {Commit})";
}
