using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Checker.Cli;

/// <summary>
/// Builds the System.CommandLine options and arguments of the commands, each with its <see cref="OptionInfo"/>
/// (type, default, range) for the help, docs/cli.md and the completion scripts. Values are parsed here, with
/// the CLI's own messages (<c>--bound must be a number from 0 to 16, found '99' — …</c>); the command name is
/// put in front of a message by <see cref="CheckerCommand"/>, so that a message reads
/// <c>checker check: error: … — …</c>.
/// </summary>
public static class CliOptions
{
    private static readonly ConditionalWeakTable<Symbol, OptionInfo> Infos = new();

    public static OptionInfo? InfoOf(Symbol symbol) => Infos.TryGetValue(symbol, out var info) ? info : null;

    /// <summary>Records what the help, docs and completion scripts say of a symbol.</summary>
    public static T With<T>(T symbol, OptionInfo info) where T : Symbol
    {
        Infos.AddOrUpdate(symbol, info);
        return symbol;
    }

    /// <summary>A flag: present or not, never followed by a value.</summary>
    public static Option<bool> Flag(string name, string description, params string[] aliases) =>
        With(new Option<bool>(name, aliases) { Description = description, Arity = ArgumentArity.Zero }, new OptionInfo(""));

    /// <summary>An integer option within [min, max] (underscores allowed as digit separators).</summary>
    public static Option<long> Integer(string name, string valueName, long defaultValue, long min, long max, string description, string hint,
        string? defaultText = null)
    {
        var option = new Option<long>(name)
        {
            Description = description,
            HelpName = valueName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r =>
            {
                if (Single(r, name) is not { } text) return defaultValue;
                if (long.TryParse(text.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out long v) && v >= min && v <= max) return v;
                r.AddError($"{name} must be a number from {min} to {max}, found '{text}' — {hint}");
                return defaultValue;
            },
        };
        return With(option, new OptionInfo("integer", defaultText ?? Number(defaultValue), $"{Number(min)}–{Number(max)}"));
    }

    /// <summary>One of a closed set of words.</summary>
    public static Option<T> Choice<T>(string name, (string Word, T Value)[] choices, string defaultWord, string description, string unknown)
    {
        var words = new string[choices.Length];
        for (int i = 0; i < choices.Length; i++) words[i] = choices[i].Word;
        T Lookup(string word)
        {
            foreach (var (w, v) in choices)
                if (w == word) return v;
            return default!;
        }
        var option = new Option<T>(name)
        {
            Description = description,
            HelpName = string.Join('|', words),
            DefaultValueFactory = _ => Lookup(defaultWord),
            CustomParser = r =>
            {
                if (Single(r, name) is not { } text) return Lookup(defaultWord);
                if (Array.IndexOf(words, text) < 0)
                {
                    r.AddError($"{unknown} '{text}' — use {Words(words)}");
                    return Lookup(defaultWord);
                }
                return Lookup(text);
            },
        };
        option.CompletionSources.Add(words);
        return With(option, new OptionInfo("word", defaultWord, null, words));
    }

    /// <summary>An option whose text another parser reads (<c>--seed</c>, <c>--shard</c>): the parser returns null
    /// with the message to print, or the value.</summary>
    public static Option<T> Parsed<T>(string name, string valueName, T defaultValue, OptionInfo info, string description, Func<string, (T Value, string? Error)> parse)
    {
        var option = new Option<T>(name)
        {
            Description = description,
            HelpName = valueName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r =>
            {
                if (Single(r, name) is not { } text) return defaultValue;
                var (value, error) = parse(text);
                if (error is null) return value;
                r.AddError(error);
                return defaultValue;
            },
        };
        return With(option, info);
    }

    /// <summary>An output file: it must name a file in an existing directory, checked before anything runs.</summary>
    public static Option<string?> OutputFile(string name, string valueName, string description, string example)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = valueName };
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 0) return;
            string path = r.Tokens[^1].Value;
            string? dir = path.Length == 0 ? null : Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is null || Directory.Exists(path) || !Directory.Exists(dir))
                r.AddError($"{name} needs a file in an existing directory, found '{path}' — e.g. '{name} {example}'");
        });
        return With(option, new OptionInfo("file"));
    }

    /// <summary>An output directory: it may not exist yet (it is made), but neither it nor any directory above it
    /// may be a file.</summary>
    public static Option<string?> OutputDirectory(string name, string valueName, string description, string example)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = valueName };
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 0) return;
            string path = r.Tokens[^1].Value;
            string? blocker = null;
            if (path.Length > 0)
                for (string? p = Path.GetFullPath(path); p is not null && blocker is null; p = Path.GetDirectoryName(p))
                    if (File.Exists(p)) blocker = p;
            if (path.Length == 0 || blocker is not null)
                r.AddError($"{name} needs a directory, found '{path}'"
                    + (blocker is null ? "" : blocker == Path.GetFullPath(path) ? ", which is a file" : $", under the file '{blocker}'")
                    + $" — e.g. '{name} {example}' (made when missing)");
        });
        return With(option, new OptionInfo("directory"));
    }

    /// <summary>An input file or directory named by an option (<c>--readme FILE</c>, <c>--catalog DIR</c>).</summary>
    public static Option<string?> Input(string name, string valueName, string type, string? defaultText, string description) =>
        With(new Option<string?>(name) { Description = description, HelpName = valueName }, new OptionInfo(type, defaultText));

    /// <summary>The positional paths of a command: any number (the command says when none is an error).</summary>
    public static Argument<string[]> Paths(string name, string type, string description, string? usage = null) =>
        With(new Argument<string[]>(name)
        {
            Description = description,
            HelpName = usage ?? name + "…",
            Arity = ArgumentArity.ZeroOrMore,
        }, new OptionInfo(type));

    /// <summary>An optional positional path with a default.</summary>
    public static Argument<string> OptionalPath(string name, string type, string defaultValue, string description) =>
        With(new Argument<string>(name)
        {
            Description = description,
            HelpName = $"[{name}]",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => defaultValue,
        }, new OptionInfo(type, defaultValue));

    /// <summary>The value of an option that takes one, or null (with "needs a value") when it was given none.
    /// The last value wins when an option is repeated.</summary>
    private static string? Single(ArgumentResult r, string name)
    {
        if (r.Tokens.Count == 0)
        {
            r.AddError($"{name} needs a value — e.g. '{name} {Example(name)}'");
            return null;
        }
        return r.Tokens[^1].Value;
    }

    public static string Example(string name) => name switch
    {
        "--strategy" => "pct",
        "--shard" => "0/2",
        "--seed" => "42",
        "--html" => "report.html",
        "--log" => "run.clef",
        "--save-trace" => "counterexamples",
        "--readme" => "README.md",
        "--catalog" => "catalog",
        "--ordering" or "--exhaustive" => "catalog/fork-6.0.order",
        _ => "4",
    };

    private static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"a, b, c or d".</summary>
    public static string Words(IReadOnlyList<string> words)
    {
        var sb = new System.Text.StringBuilder(words[0]);
        for (int i = 1; i < words.Count; i++) sb.Append(i == words.Count - 1 ? " or " : ", ").Append(words[i]);
        return sb.ToString();
    }
}
