using System.Globalization;

namespace Checker.Cli;

/// <summary>A small, strict command-line reader: positional arguments, <c>--flag</c>s and <c>--option VALUE</c>s;
/// anything unknown or malformed is a usage error (exit code 1), never an exception.</summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> flags = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public string? Error { get; private set; }

    public static CommandLine Parse(string command, IReadOnlyList<string> args, IReadOnlyCollection<string> knownFlags,
        IReadOnlyCollection<string> knownOptions)
    {
        var line = new CommandLine();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) && !(a.StartsWith('-') && a.Length == 2))
            {
                line.Positional.Add(a);
                continue;
            }
            string name = a, value = "";
            int eq = a.IndexOf('=');
            bool inline = eq > 0;
            if (inline)
            {
                name = a[..eq];
                value = a[(eq + 1)..];
            }
            if (Contains(knownFlags, name) && !inline)
            {
                line.flags.Add(name);
                continue;
            }
            if (!Contains(knownOptions, name))
            {
                line.Error = $"checker {command}: error: unknown option '{name}' — run 'checker --help' for the options";
                return line;
            }
            if (!inline)
            {
                if (i + 1 >= args.Count)
                {
                    line.Error = $"checker {command}: error: {name} needs a value — e.g. '{name} {Example(name)}'";
                    return line;
                }
                value = args[++i];
            }
            line.values[name] = value;
        }
        return line;
    }

    private static bool Contains(IReadOnlyCollection<string> set, string s)
    {
        foreach (var x in set)
            if (x == s) return true;
        return false;
    }

    private static string Example(string name) => name switch
    {
        "--strategy" => "pct",
        "--shard" => "0/2",
        "--seed" => "42",
        "--html" => "report.html",
        "--log" => "run.clef",
        "--save-trace" => "counterexamples",
        _ => "4",
    };

    public bool Has(string flag) => flags.Contains(flag);

    public string? Value(string option) => values.TryGetValue(option, out var v) ? v : null;

    /// <summary>Reads an integer option within [min, max]; sets <see cref="Error"/> and returns the default otherwise.</summary>
    public long Long(string command, string option, long defaultValue, long min, long max, string hint)
    {
        if (Value(option) is not { } text) return defaultValue;
        if (long.TryParse(text.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out long v) && v >= min && v <= max) return v;
        Error ??= $"checker {command}: error: {option} must be a number from {min} to {max}, found '{text}' — {hint}";
        return defaultValue;
    }

    public void Fail(string message) => Error ??= message;
}
