using System.CommandLine;
using System.Diagnostics;
using Checker.Cli;
using Checker.Cli.Terminal;
using Checker.Properties.Support;
using Serilog.Sinks.SystemConsole.Themes;
using Xunit;

namespace Checker.Properties.Cli;

/// <summary>
/// The command line as System.CommandLine builds it: generated help (pinned by golden files), --version,
/// did-you-mean, usage errors in the CLI's words, the completion scripts, docs/cli.md, and the terminal: the
/// summary table fitted to a narrow terminal, colour only when asked for. Rewrite the goldens and docs/cli.md
/// with CHECKER_UPDATE_GOLDEN=1.
/// </summary>
public class CommandLineTests
{
    private static readonly string[] Pair = [CatalogFiles.PathOf("fork-6.0"), CatalogFiles.PathOf("fork-6.0-only-end-no-ir")];

    private static readonly RootCommand Tree = CheckerCommand.Build(CliContext.None);

    [Fact]
    public void TheTopLevelHelpListsTheCommandsAndTheExitCodes()
    {
        var (exit, output, error) = CliRunner.Run("--help");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Golden.Verify("help.txt", output);
        Assert.Equal(output, CliRunner.Run("-h").Out);
        Assert.Equal(output, CliRunner.Run("help").Out);
        foreach (var c in Tree.Subcommands) Assert.Contains("\n  " + c.Name, output);
        foreach (var (code, meaning) in CheckerCommand.ExitCodeMeanings) Assert.Contains($"  {code}  {meaning[..20]}", output);
    }

    [Fact]
    public void TheCheckHelpListsEveryOptionWithItsTypeDefaultAndRange()
    {
        var (exit, output, _) = CliRunner.Run("check", "--help");
        Assert.Equal(0, exit);
        Golden.Verify("help-check.txt", output);
        Assert.Contains("--strategy auto|random|pct|exhaustive", output);
        Assert.Contains("--bound K", output);
        Assert.Contains("(integer 0–16; default 4)", output.Replace("\n                              ", " "));
        Assert.Equal(output, CliRunner.Run("help", "check").Out);
        Assert.Equal(output, CliRunner.Run("check", "catalog", "-h").Out);
    }

    [Fact]
    public void EveryCommandHasHelpNamingEachOfItsOptionsAndArguments()
    {
        foreach (var command in Tree.Subcommands)
        {
            var (exit, output, error) = CliRunner.Run(command.Name, "--help");
            Assert.Equal(0, exit);
            Assert.Equal("", error);
            Assert.StartsWith($"checker {command.Name} — ", output);
            foreach (var o in command.Options) Assert.Contains(HelpText.OptionText(o), output);
            foreach (var a in command.Arguments) Assert.Contains(a.HelpName!, output);
            foreach (var o in command.Options)
                if (CliOptions.InfoOf(o) is { Type: "integer" } info) Assert.Contains($"default {info.Default}", output.Replace("\n                              ", " "));
        }
    }

    [Fact]
    public void VersionPrintsTheVersionAndTheCommitItWasBuiltFrom()
    {
        var (exit, output, _) = CliRunner.Run("--version");
        Assert.Equal(0, exit);
        Assert.Matches(@"^checker \d+\.\d+\.\d+\S* \(commit ([0-9a-f]{7,40}|unknown)\)\n$", output);
        Assert.Equal(BuildInfo.Text + "\n", output);
        // this test runs in the repository's clone: the build found git, so the commit is known
        Assert.DoesNotContain("unknown", output);
    }

    [Theory]
    [InlineData(new[] { "chek", "x" }, "checker: error: unknown command 'chek' — did you mean 'check'? The commands are check, validate, replay, diff, list, merge, repair, catalog-readme, bench, extract or completion")]
    [InlineData(new[] { "frobnicate" }, "checker: error: unknown command 'frobnicate' — use check, validate, replay, diff, list, merge, repair, catalog-readme, bench, extract or completion")]
    [InlineData(new[] { "check", "x", "--stratgy", "pct" }, "checker check: error: unknown option '--stratgy' — did you mean '--strategy'? Run 'checker check --help' for the options")]
    [InlineData(new[] { "diff", "a", "b", "--sead", "1" }, "checker diff: error: unknown option '--sead' — did you mean '--seed'? Run 'checker diff --help' for the options")]
    [InlineData(new[] { "check", "x", "--bound" }, "checker check: error: --bound needs a value — e.g. '--bound 4'")]
    [InlineData(new[] { "check", "x", "--bound", "3", "--bound", "4" }, "checker check: error: --bound is given 2 times — give it once")]
    [InlineData(new[] { "check", "x", "--json=yes" }, "checker check: error: --json takes no value, found '--json=yes' — write '--json' alone")]
    [InlineData(new[] { "check", "x", "--strategy=dfs" }, "checker check: error: unknown strategy 'dfs' — use auto, random, pct or exhaustive")]
    [InlineData(new[] { "--versoin" }, "checker: error: unknown option '--versoin' — did you mean '--version'? Run 'checker --help' for the options")]
    [InlineData(new[] { "list", "a", "b" }, "checker list: error: unexpected argument 'b' — run 'checker list --help' for the usage")]
    [InlineData(new[] { "completion", "bsh" }, "checker completion: error: unknown shell 'bsh' — did you mean 'bash'? use bash, zsh or fish")]
    public void UsageErrorsSayWhatIsWrongAndWhatToDoAndExitWithOne(string[] args, string message)
    {
        var (exit, output, error) = CliRunner.Run(args);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal(message + "\n", error);
    }

    [Fact]
    public void NoCommandPrintsTheHelpOnStderrAndExitsWithOne()
    {
        var (exit, output, error) = CliRunner.Run();
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal(CliRunner.Run("--help").Out, error);
    }

    [Fact]
    public void ReplayOfAnOrderingSaysInOneLineToUseCheck()
    {
        string file = CatalogFiles.PathOf("fork-6.0");
        var (exit, output, error) = CliRunner.Run("replay", file);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal($"{file}:1:1: error: this is an ordering, not a trace — check it with 'checker check {file}'; "
            + "replay takes the .trace files that 'checker check --save-trace DIR' writes\n", error);
    }

    [Fact]
    public void ReplayOfAnOrderingWithAnotherExtensionIsRecognisedByItsText()
    {
        using var dir = new TempDirectory();
        string file = dir.File("fork.trace");
        File.Copy(CatalogFiles.PathOf("fork-6.0"), file);
        var (exit, _, error) = CliRunner.Run("replay", file);
        Assert.Equal(1, exit);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("this is an ordering, not a trace", error);
    }

    [Fact]
    public void TheSummaryTableFitsANarrowTerminal()
    {
        var (exit, output, _) = CliRunner.Run(new TerminalInfo(60, false), ["check", .. Pair, "--no-timing", "--schedules", "20000"]);
        Assert.Equal(0, exit);
        Golden.Verify("check-fork-pair-60-columns.txt", CliRunner.Relative(output));
        var lines = output.Split('\n');
        int table = Array.FindIndex(lines, l => l.StartsWith("verdict", StringComparison.Ordinal));
        int end = Array.IndexOf(lines, "", table);
        Assert.True(end - table > 3, "the ordering names wrap onto continuation lines");
        for (int i = 0; i < end; i++) Assert.True(lines[i].Length <= 60, $"line {i + 1} is {lines[i].Length} columns: {lines[i]}");
        // nothing elided: the same characters as without a limit, only laid out on more lines
        Assert.Equal(Characters(output), Characters(CliRunner.Run(["check", .. Pair, "--no-timing", "--schedules", "20000"]).Out));
    }

    /// <summary>The characters of a text but its spaces and line breaks, sorted: what survives a re-layout.</summary>
    private static string Characters(string text)
    {
        var chars = text.Replace(" ", "").Replace("\n", "").ToCharArray();
        Array.Sort(chars);
        return new string(chars);
    }

    [Fact]
    public void AWideTerminalGetsTheSameTextAsAFile()
    {
        var plain = CliRunner.Run(["check", .. Pair, "--no-timing", "--schedules", "20000"]).Out;
        Assert.Equal(plain, CliRunner.Run(new TerminalInfo(400, false), ["check", .. Pair, "--no-timing", "--schedules", "20000"]).Out);
    }

    [Fact]
    public void ColourMarksVerdictsAndTheViolatingStepOnlyWhenTheTerminalTakesIt()
    {
        var coloured = CliRunner.Run(new TerminalInfo(null, true), ["check", .. Pair, "--no-timing", "--schedules", "20000"]).Out;
        Assert.Contains(Ansi.Paint("met", Ansi.Green), coloured);
        Assert.Matches(@"\e\[1m\e\[31m  >> 9 ", coloured);
        var plain = CliRunner.Run(["check", .. Pair, "--no-timing", "--schedules", "20000"]).Out;
        Assert.DoesNotContain("\e[", plain);
        Assert.Equal(plain, coloured.Replace(Ansi.Bold, "").Replace(Ansi.Red, "").Replace(Ansi.Green, "").Replace(Ansi.Reset, ""));
    }

    [Fact]
    public void NoColorTurnsColourOffAndTheLogThemeHasNoBlack()
    {
        string? before = Environment.GetEnvironmentVariable("NO_COLOR");
        try
        {
            Environment.SetEnvironmentVariable("NO_COLOR", "1");
            Assert.False(TerminalInfo.ForConsole().Color);
            Assert.Same(ConsoleTheme.None, CliLog.Theme);
            Environment.SetEnvironmentVariable("NO_COLOR", null);
            Assert.IsType<AnsiConsoleTheme>(CliLog.Theme);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NO_COLOR", before);
        }
        foreach (var sgr in new[] { Ansi.Red, Ansi.Green, Ansi.Yellow, Ansi.Bold }) Assert.DoesNotContain("30", sgr); // 30: black foreground
    }

    [Fact]
    public void TheBashCompletionScriptLoadsAndCompletesCommandsOptionsAndValues()
    {
        var (exit, script, _) = CliRunner.Run("completion", "bash");
        Assert.Equal(0, exit);
        using var dir = new TempDirectory();
        string file = dir.File("checker.bash");
        File.WriteAllText(file, script);
        string Complete(string words, int index) => Bash($"source {file}; COMP_WORDS=({words}); COMP_CWORD={index}; _checker; echo \"${{COMPREPLY[*]}}\"").Trim();

        Assert.Equal("complete -o bashdefault -o filenames -F _checker checker", Bash($"source {file}; complete -p checker").Trim());
        // and as a user loads it, from the real process
        string cli = Path.Combine(AppContext.BaseDirectory, "checker.dll");
        Assert.Equal("complete -o bashdefault -o filenames -F _checker checker",
            Bash($"checker() {{ dotnet '{cli}' \"$@\"; }}; source <(checker completion bash); complete -p checker").Trim());
        Assert.Equal("check catalog-readme completion", Complete("checker c", 1));
        Assert.Equal("--strategy --schedules --states", Complete("checker check --s", 2).Replace(" --seed", "").Replace(" --shard", "").Replace(" --save-trace", ""));
        Assert.Equal("auto random pct exhaustive", Complete("checker check --strategy ''", 3));
        Assert.Equal("bash zsh fish", Complete("checker completion ''", 2));
        Assert.Contains("--seed", Complete("checker diff --s", 2));
        Assert.DoesNotContain("--shard", Complete("checker diff --s", 2));
    }

    private static string Bash(string command)
    {
        var start = new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"bash failed ({process.ExitCode}): {error}");
        Assert.Equal("", error);
        return output;
    }

    [Theory]
    [InlineData("zsh")]
    [InlineData("fish")]
    public void TheZshAndFishScriptsNameEveryCommandAndOption(string shell)
    {
        var (exit, script, _) = CliRunner.Run("completion", shell);
        Assert.Equal(0, exit);
        foreach (var c in Tree.Subcommands)
        {
            Assert.Contains(c.Name, script);
            foreach (var o in c.Options) Assert.Contains(shell == "fish" ? "-l " + o.Name[2..] : o.Name, script);
        }
        Assert.Contains("auto random pct exhaustive", script);
    }

    [Fact]
    public void DocsCliMdIsGeneratedFromTheCommandTree()
    {
        string path = Path.Combine(Golden.RepositoryRoot, "docs", "cli.md");
        string actual = CliDocs.Markdown();
        if (Golden.Updating)
        {
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"docs/cli.md is missing — run the tests with {Golden.UpdateVariable}=1 to write it");
        Assert.True(File.ReadAllText(path).ReplaceLineEndings("\n") == actual,
            $"docs/cli.md differs from the command tree — rerun the tests with {Golden.UpdateVariable}=1 and review the diff of {path}");
        foreach (var c in Tree.Subcommands)
        {
            Assert.Contains("\n## checker " + c.Name + "\n", actual);
            foreach (var o in c.Options) Assert.Contains("`" + HelpText.OptionText(o).Replace("|", "\\|") + "`", actual);
        }
    }
}
