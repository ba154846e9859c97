using System.Diagnostics;
using Checker.Cli;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Robustness;

/// <summary>The CLI as a separate process: byte-identical JSON across processes, exit code 3 with the seed for a
/// checker bug, and a prompt, result-keeping stop on Ctrl-C.</summary>
public class ProcessTests
{
    private static string Cli => Path.Combine(AppContext.BaseDirectory, "checker.dll");

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Cli);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    private static (int Exit, string Out, string Err) RunToEnd(params string[] args)
    {
        using var p = Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), "the checker did not finish within two minutes");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void TwoProcessesGiveByteIdenticalJson()
    {
        string[] args = ["check", CatalogFiles.Directory, "--json", "--seed", "11", "--schedules", "5000"];
        var first = RunToEnd(args);
        var second = RunToEnd(args);
        var twoJobs = RunToEnd([.. args, "--jobs", "2"]);
        Assert.Equal(0, first.Exit);
        Assert.Equal(first.Out, second.Out);
        Assert.Equal(first.Out, twoJobs.Out);
    }

    [Fact]
    public void ACheckerBugExitsWithThreeAndPrintsTheSeed()
    {
        var error = new StringWriter();
        CheckerCommand.FaultInjection = () => throw new InvalidOperationException("injected fault");
        int exit;
        try
        {
            exit = CheckerCommand.Run(["check", CatalogFiles.PathOf("fork-6.0"), "--seed", "1234"], TextWriter.Null, error);
        }
        finally
        {
            CheckerCommand.FaultInjection = null;
        }
        Assert.Equal(3, exit);
        Assert.Contains("checker: internal error: InvalidOperationException: injected fault", error.ToString());
        Assert.Contains("This is a bug in the checker, not in your input.", error.ToString());
        Assert.Contains("The run used seed 1234; the same command line reproduces it.", error.ToString());
    }

    [Fact]
    public async Task CtrlCStopsPromptlyAndKeepsWhatWasFound()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return; // SIGINT delivery below is POSIX
        string dir = Path.Combine(Path.GetTempPath(), $"checker-cancel-{Guid.NewGuid():N}");
        try
        {
            using var p = Start("check", CatalogFiles.PathOf("mremap-6.0"), "--strategy", "pct", "--schedules", "1000000000", "--save-trace", dir);
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await Task.Delay(2_000);
            Assert.False(p.HasExited, "the run ended before it could be interrupted");
            using (var kill = Process.Start("kill", ["-INT", p.Id.ToString()])) kill!.WaitForExit();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await p.WaitForExitAsync(deadline.Token);
            string output = await stdout, errors = await stderr;
            Assert.Contains("interrupted", errors);
            Assert.Contains("cancelled: these are the results so far", output);
            Assert.Contains("CANCELLED", output); // the expectation is not established: not "met"
            Assert.Contains("1 ordering: 0 met, 0 unmet, 1 cancelled", output);
            Assert.Equal(2, p.ExitCode); // an interrupted CI job must not look green
            Assert.Contains("stale-secondary-after-flush", output);
            Assert.True(File.Exists(Path.Combine(dir, "mremap-6.0.stale-secondary-after-flush.trace")), "the counterexample found before Ctrl-C was not saved");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
