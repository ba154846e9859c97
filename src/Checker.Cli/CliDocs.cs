using System.CommandLine;
using System.Text;

namespace Checker.Cli;

/// <summary>docs/cli.md, generated from the command tree: each command with its usage, arguments and options
/// (value, type and range, default, description), and the exit codes. A test fails when the committed file
/// differs from this text (rewrite it with CHECKER_UPDATE_GOLDEN=1).</summary>
public static class CliDocs
{
    public static string Markdown()
    {
        var root = CheckerCommand.Build(CliContext.None);
        var sb = new StringBuilder();
        sb.Append("# The `checker` command line\n\n");
        sb.Append("<!-- generated from the System.CommandLine tree (src/Checker.Cli) by a test; do not edit by hand: rerun the tests with CHECKER_UPDATE_GOLDEN=1 -->\n\n");
        sb.Append("`checker` is ").Append(CheckerCommand.Description).Append(".\n\n");
        sb.Append("```\n").Append(HelpText.Usage(root, isRoot: true)).Append("\n```\n\n");
        sb.Append("| command | what it does |\n| --- | --- |\n");
        foreach (var c in root.Subcommands)
            sb.Append("| [`").Append(Cell(c.Name + HelpText.ArgumentsText(c))).Append("`](#checker-").Append(c.Name).Append(") | ").Append(Cell(c.Description)).Append(" |\n");
        sb.Append("\nEvery command takes `-h`/`--help`; `checker --version` prints the version and the git commit it was built from. ");
        sb.Append("Options may come before or after the arguments, and `--name=value` works too. ");
        sb.Append("A usage error reads `checker COMMAND: error: what is wrong — what to do` (with the nearest name for a mistyped command or option); ");
        sb.Append("a problem in a file reads `FILE:LINE:COL: error: …`.\n\n");
        sb.Append("## Exit codes\n\n| code | meaning |\n| --- | --- |\n");
        foreach (var (code, meaning) in CheckerCommand.ExitCodeMeanings) sb.Append("| ").Append(code).Append(" | ").Append(Cell(meaning)).Append(" |\n");
        foreach (var c in root.Subcommands)
        {
            sb.Append("\n## checker ").Append(c.Name).Append("\n\n").Append(Sentence(c.Description)).Append(".\n\n");
            sb.Append("```\n").Append(HelpText.Usage(c, isRoot: false)).Append("\n```\n\n");
            if (c.Arguments.Count > 0)
            {
                sb.Append("| argument | type | default | description |\n| --- | --- | --- | --- |\n");
                foreach (var a in c.Arguments)
                {
                    var info = CliOptions.InfoOf(a);
                    sb.Append("| `").Append(Cell(a.HelpName ?? a.Name)).Append("` | ").Append(Cell(info?.Values is { } v ? "one of " + string.Join(", ", v) : info?.Type ?? "")).Append(" | ")
                      .Append(Cell(info?.Default ?? "")).Append(" | ").Append(Cell(a.Description)).Append(" |\n");
                }
                sb.Append('\n');
            }
            sb.Append("| option | type | default | description |\n| --- | --- | --- | --- |\n");
            foreach (var o in HelpText.Options(c, root))
            {
                var info = CliOptions.InfoOf(o);
                string type = o.Arity.MaximumNumberOfValues == 0 ? "flag" : info?.Values is { } v ? "one of " + string.Join(", ", v)
                    : info is null ? "" : info.Type == o.HelpName ? $"{info.Type}: {info.Range}" : info.Range is { } range ? $"{info.Type} {range}" : info.Type;
                sb.Append("| `").Append(Cell(HelpText.OptionText(o))).Append("` | ").Append(Cell(type)).Append(" | ")
                  .Append(Cell(info?.Default ?? "")).Append(" | ").Append(Cell(o.Description)).Append(" |\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>Text for a table cell: a '|' (even in a code span) would end the cell.</summary>
    private static string Cell(string? text) => (text ?? "").Replace("|", "\\|");

    private static string Sentence(string? text) => text is { Length: > 0 } t ? char.ToUpperInvariant(t[0]) + Cell(t[1..]) : "";
}
