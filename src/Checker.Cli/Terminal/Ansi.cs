using Checker.Exploration;

namespace Checker.Cli.Terminal;

/// <summary>The few colours the CLI uses, as ANSI SGR sequences in the terminal's own foreground palette (no black,
/// no fixed background), so that they read on dark and light backgrounds alike. Callers colour only when
/// <see cref="TerminalInfo.Color"/> says so.</summary>
public static class Ansi
{
    public const string Reset = "\e[0m";
    public const string Red = "\e[31m";
    public const string Green = "\e[32m";
    public const string Yellow = "\e[33m";
    public const string Bold = "\e[1m";

    public static string Paint(string text, string sgr) => sgr + text + Reset;

    /// <summary>The colour of a verdict word: met/pass green, UNMET/VIOLATED red, the rest (UNPROVED, cancelled,
    /// partial) yellow.</summary>
    public static string Of(VerdictKind kind) => kind switch
    {
        VerdictKind.Met => Green,
        VerdictKind.Unmet => Red,
        _ => Yellow,
    };

    /// <summary>A step table with its violating step (the line marked <c>&gt;&gt;</c>) in bold red.</summary>
    public static string MarkViolatingStep(string table)
    {
        var lines = table.Split('\n');
        for (int i = 0; i < lines.Length; i++)
            if (lines[i].TrimStart().StartsWith(">> ", StringComparison.Ordinal)) lines[i] = Paint(lines[i], Bold + Red);
        return string.Join('\n', lines);
    }
}
