using System.Text.RegularExpressions;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Architecture;

/// <summary>
/// The replay is the only place that steps a counterexample for reports: no report or CLI source makes a
/// machine or steps one (the executor, explorers, shrinker, distinguisher and <c>replay</c>'s verification run
/// schedules, in Exploration), and only <c>CounterexampleReplay</c> attaches a recorder — exploration never does.
/// </summary>
public sealed partial class ReportReplayTests
{
    private static IEnumerable<string> Sources(string dir) =>
        Directory.GetFiles(RepositoryFiles.PathOf(dir), "*.cs", SearchOption.AllDirectories);

    private static string Relative(string path) => Path.GetRelativePath(RepositoryFiles.Root, path).Replace('\\', '/');

    [Fact]
    public void NoReportOrCliSourceStepsAMachine()
    {
        var offenders = new List<string>();
        foreach (var dir in new[] { "src/Checker.Core/Reports", "src/Checker.Cli" })
            foreach (var file in Sources(dir))
                foreach (Match m in MachineUse().Matches(File.ReadAllText(file)))
                    offenders.Add($"{Relative(file)}: {m.Value}");
        Assert.True(offenders.Count == 0, "reports must render CounterexampleReplay, not run the machine: " + string.Join(", ", offenders));
    }

    [Fact]
    public void OnlyTheReplayAttachesARecorder()
    {
        var attaching = new List<string>();
        foreach (var file in Sources("src"))
            if (RecorderUse().IsMatch(File.ReadAllText(file))) attaching.Add(Relative(file));
        Assert.Equal(["src/Checker.Core/Exploration/CounterexampleReplay.cs"], attaching);
    }

    [Fact]
    public void ThePatternsFindWhatTheyLookFor()
    {
        Assert.Matches(MachineUse(), "var m = new Machine(program);");
        Assert.Matches(MachineUse(), "uint v = machine.Step(c);");
        Assert.Matches(RecorderUse(), "machine.Recorder = recorder;");
        Assert.Matches(RecorderUse(), "var r = new StepRecorder(machine.State);");
        Assert.DoesNotMatch(MachineUse(), "foreach (var step in replay.Steps)");
    }

    [GeneratedRegex(@"new\s+Machine\s*\(|\.Step\s*\(|\bStepText\s*\(|\bMakeViolation\s*\(")]
    private static partial Regex MachineUse();

    [GeneratedRegex(@"\.Recorder\s*=[^=]|new\s+StepRecorder\s*\(")]
    private static partial Regex RecorderUse();
}
