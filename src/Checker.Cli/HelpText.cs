using System.CommandLine;
using System.Text;

namespace Checker.Cli;

/// <summary>
/// The help of a command, generated from the System.CommandLine tree: a usage line, the arguments, and every
/// option with its value, its type and range, its default and what it does, then the exit codes. Wrapped at
/// <see cref="Width"/> columns (or the terminal's, when narrower); the same whatever the machine, so that a
/// golden file pins it.
/// </summary>
public static class HelpText
{
    public const int Width = 100;

    private const int NameColumn = 26;

    public static string For(Command command, RootCommand root, int width = Width)
    {
        var sb = new StringBuilder();
        bool isRoot = command == root;
        string name = isRoot ? "checker" : "checker " + command.Name;
        Wrap(sb, "", "", $"{name} — {command.Description}", width);
        sb.Append('\n');
        sb.Append("usage: ").Append(Usage(command, isRoot)).Append('\n');
        if (isRoot)
        {
            sb.Append("\ncommands:\n");
            foreach (var c in root.Subcommands)
                Row(sb, c.Name + ArgumentsText(c), c.Description ?? "", width);
        }
        if (command.Arguments.Count > 0)
        {
            sb.Append("\narguments:\n");
            foreach (var a in command.Arguments)
                Row(sb, a.HelpName ?? a.Name, Describe(a.Description, CliOptions.InfoOf(a), a.HelpName), width);
        }
        sb.Append("\noptions:\n");
        foreach (var o in Options(command, root))
            Row(sb, OptionText(o), Describe(o.Description, CliOptions.InfoOf(o), o.HelpName), width);
        sb.Append("\nexit codes:\n");
        foreach (var (code, meaning) in CheckerCommand.ExitCodeMeanings)
            Row(sb, code.ToString(System.Globalization.CultureInfo.InvariantCulture), meaning, width, column: 1);
        sb.Append('\n');
        Wrap(sb, "", "", isRoot
            ? "Run 'checker COMMAND --help' for a command's arguments and options; docs/cli.md has them all."
            : "Options may come before or after the arguments; '--name=value' works too.", width);
        return sb.ToString();
    }

    /// <summary>The options of a command: its own, then the root's that apply to every command (--help).</summary>
    public static List<Option> Options(Command command, RootCommand root)
    {
        var options = new List<Option>();
        foreach (var o in command.Options) options.Add(o);
        if (command != root)
            foreach (var o in root.Options)
                if (o.Recursive) options.Add(o);
        return options;
    }

    public static string Usage(Command command, bool isRoot) =>
        isRoot ? "checker COMMAND [ARGUMENTS] [OPTIONS]" : $"checker {command.Name}{ArgumentsText(command)} [OPTIONS]";

    public static string ArgumentsText(Command command)
    {
        var sb = new StringBuilder();
        foreach (var a in command.Arguments) sb.Append(' ').Append(a.HelpName ?? a.Name);
        return sb.ToString();
    }

    /// <summary><c>-v, --verbose</c>, <c>--bound K</c>, <c>--strategy auto|random|pct|exhaustive</c>.</summary>
    public static string OptionText(Option o)
    {
        var names = new List<string>();
        foreach (var a in o.Aliases) names.Add(a);
        names.Sort(StringComparer.Ordinal);
        names.Add(o.Name);
        string text = string.Join(", ", names);
        return o.Arity.MaximumNumberOfValues > 0 && o.HelpName is { } value ? text + " " + value : text;
    }

    /// <summary>The description and, in parentheses, the type and range and the default:
    /// <c>… (integer 0–16; default 4)</c>.</summary>
    public static string Describe(string? description, OptionInfo? info, string? valueName)
    {
        string text = description ?? "";
        var parts = new List<string>();
        if (TypeText(info, valueName) is { } type) parts.Add(type);
        if (info?.Default is { } d) parts.Add("default " + d);
        return parts.Count == 0 ? text : $"{text} ({string.Join("; ", parts)})";
    }

    /// <summary>The type and range worth saying beside the value's name: <c>integer 0–16</c>; nothing for a flag,
    /// a closed set or a path, whose value name says it.</summary>
    public static string? TypeText(OptionInfo? info, string? valueName)
    {
        if (info is null || info.Type is "" or "word" or "file" or "files" or "directory") return info?.Range;
        if (info.Type == valueName) return info.Range;
        return info.Range is null ? info.Type : $"{info.Type} {info.Range}";
    }

    private static void Row(StringBuilder sb, string left, string text, int width, int column = NameColumn)
    {
        string indent = new(' ', 2 + column + 2);
        if (left.Length <= column)
            Wrap(sb, "  " + left.PadRight(column) + "  ", indent, text, width);
        else
        {
            sb.Append("  ").Append(left).Append('\n');
            Wrap(sb, indent, indent, text, width);
        }
    }

    /// <summary>Writes <paramref name="text"/> wrapped at spaces to <paramref name="width"/>, the first line after
    /// <paramref name="first"/>, the others after <paramref name="rest"/>.</summary>
    public static void Wrap(StringBuilder sb, string first, string rest, string text, int width)
    {
        var line = new StringBuilder(first);
        bool empty = true;
        foreach (var word in text.Split(' '))
        {
            if (!empty && line.Length + 1 + word.Length > width)
            {
                sb.Append(line.ToString().TrimEnd()).Append('\n');
                line.Clear().Append(rest);
                empty = true;
            }
            if (!empty) line.Append(' ');
            line.Append(word);
            empty = false;
        }
        sb.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
