using System.Diagnostics;
using Xunit;

namespace Checker.Properties.Support;

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c> package), for the test that renders the HTML report. On a machine
/// without it that test is skipped, with the reason, by <see cref="ChromiumFactAttribute"/>; CI (.ci/run) installs
/// Chromium and sets <c>CHECKER_REQUIRE_CHROMIUM=1</c>, which turns the skip back into a failure.
/// </summary>
public static class Chromium
{
    /// <summary>Set to 1 (as .ci/run does), a missing Chromium fails the test instead of skipping it.</summary>
    public const string RequireVariable = "CHECKER_REQUIRE_CHROMIUM";

    public const string InstallHint = "install it with 'apt-get update && apt-get install -y chromium' (.ci/run installs it when missing)";

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>The chromium executable on PATH, or null.</summary>
    public static string? Find()
    {
        foreach (var name in new[] { "chromium", "chromium-browser" })
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                string path = Path.Combine(dir, name);
                if (dir.Length > 0 && File.Exists(path)) return path;
            }
        return null;
    }

    public static string Require()
    {
        if (Find() is { } path) return path;
        Assert.Fail($"headless Chromium is not installed, so the HTML report cannot be rendered ({RequireVariable}=1): {InstallHint}");
        return "";
    }

    /// <summary>The DOM after scripts ran (<c>--dump-dom</c>).</summary>
    public static string DumpDom(string html) => Run(html, "--dump-dom");

    /// <summary>Writes a PNG of the page at the given window size.</summary>
    public static void Screenshot(string html, string png, int width, int height) =>
        Run(html, $"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars");

    private static string Run(string html, params string[] extra)
    {
        string exe = Require();
        string profile = Path.Combine(Path.GetTempPath(), "checker-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        try
        {
            var psi = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile })
                psi.ArgumentList.Add(a);
            foreach (var a in extra) psi.ArgumentList.Add(a);
            psi.ArgumentList.Add(new Uri(Path.GetFullPath(html)).AbsoluteUri);
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("chromium did not finish within 90 s");
            }
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}:\n{stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            try
            {
                Directory.Delete(profile, true);
            }
            catch (IOException)
            {
                // chromium's helpers may still hold a file for a moment; the directory is in /tmp
            }
        }
    }
}
