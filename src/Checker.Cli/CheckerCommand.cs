using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Checker.Cli.Terminal;

namespace Checker.Cli;

/// <summary>The <c>checker</c> command line (DESIGN §6), on System.CommandLine: the command tree
/// (<see cref="Build"/>), the generated help (<see cref="HelpText"/>), usage errors in the CLI's own words
/// (<c>checker check: error: … — …</c>, with did-you-mean), and internal errors caught once here: exit code 3,
/// with a request to report the ordering and seed.</summary>
public static class CheckerCommand
{
    public const string Description = "a model checker of Linux mmu_notifier/TLB-flush orderings";

    /// <summary>The exit codes as the help and docs/cli.md print them (DESIGN §6, <see cref="ExitCodes"/>).</summary>
    public static readonly (int Code, string Meaning)[] ExitCodeMeanings =
    [
        (ExitCodes.Ok, "every expectation met (or no violation where none was stated); the input is valid"),
        (ExitCodes.BadInput, "bad input or usage: a diagnostic says what and where"),
        (ExitCodes.Violation, "a violation, or an unmet expectation (the counterexample is printed)"),
        (ExitCodes.InternalError, "an internal error: a bug in the checker, to report with the command line"),
    ];

    /// <summary>Tests set this to make the next command fail inside, as a checker bug would.</summary>
    internal static Action? FaultInjection { get; set; }

    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken cancel = default) =>
        Run(args, output, error, TerminalInfo.Plain, cancel);

    public static int Run(string[] args, TextWriter output, TextWriter error, TerminalInfo terminal, CancellationToken cancel = default)
    {
        var root = Build(new CliContext(output, error, terminal, cancel));
        if (args is ["help", .. var rest]) args = [.. rest, "--help"];
        var parse = root.Parse(args, Parsing);
        var command = parse.CommandResult.Command;
        int width = Math.Min(terminal.Width ?? HelpText.Width, HelpText.Width);
        if (parse.GetResult(root.Options[0]) is not null)
        {
            output.Write(HelpText.For(command, root, width));
            return ExitCodes.Ok;
        }
        if (command == root && parse.GetValue((Option<bool>)root.Options[1]))
        {
            output.WriteLine(BuildInfo.Text);
            return ExitCodes.Ok;
        }
        if (args.Length == 0)
        {
            error.Write(HelpText.For(root, root, width));
            return ExitCodes.BadInput;
        }
        if (UsageError(args, parse, root) is { } message)
        {
            error.WriteLine($"checker{(command == root ? "" : " " + command.Name)}: error: {message}");
            return ExitCodes.BadInput;
        }
        try
        {
            FaultInjection?.Invoke();
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception e)
        {
            error.WriteLine($"checker: internal error: {e.GetType().Name}: {e.Message}");
            error.WriteLine("This is a bug in the checker, not in your input. Please report it with the ordering file(s) and this command line:");
            error.WriteLine("  checker " + string.Join(" ", args));
            error.WriteLine($"The run used seed {SeedOf(args)}; the same command line reproduces it.");
            error.WriteLine(e.ToString());
            return ExitCodes.InternalError;
        }
    }

    /// <summary>The command tree. Its first two root options are <c>--help</c> (on every command) and
    /// <c>--version</c>; the commands appear in the help and docs/cli.md in this order.</summary>
    public static RootCommand Build(CliContext ctx)
    {
        var root = new RootCommand(Description);
        root.Options.Clear();
        root.Directives.Clear();
        root.Options.Add(new HelpOption("--help", "-h") { Description = "print this help (every command has its own)" });
        root.Options.Add(CliOptions.Flag("--version", "print the version and the git commit the checker was built from"));
        root.Subcommands.Add(CheckCommand.Build(ctx));
        root.Subcommands.Add(ValidateCommand.Build(ctx));
        root.Subcommands.Add(ReplayCommand.Build(ctx));
        root.Subcommands.Add(DiffCommand.Build(ctx));
        root.Subcommands.Add(ListCommand.Build(ctx));
        root.Subcommands.Add(MergeCommand.Build(ctx));
        // issue 15: repair
        root.Subcommands.Add(RepairCommand.Build(ctx));
        root.Subcommands.Add(CatalogReadme.Build(ctx));
        root.Subcommands.Add(BenchCommand.Build(ctx));
        // issue 17: checker extract
        root.Subcommands.Add(ExtractCommand.Build(ctx));
        root.Subcommands.Add(CompletionCommand.Build(ctx, root));
        return root;
    }

    /// <summary>The first usage error of a parse, in the CLI's words: an unknown command or option (with the
    /// nearest name when one is close), an unexpected argument, then the options' own messages.</summary>
    private static string? UsageError(string[] args, ParseResult parse, RootCommand root)
    {
        var command = parse.CommandResult.Command;
        string help = command == root ? "checker --help" : $"checker {command.Name} --help";
        foreach (var arg in args)
        {
            if (arg == "--") break;
            if (arg.StartsWith('-') && arg.IndexOf('=') is > 0 and var eq && !TakesValue(arg[..eq], command) && IsOption(arg[..eq], command))
                return $"{arg[..eq]} takes no value, found '{arg}' — write '{arg[..eq]}' alone";
        }
        bool afterDoubleDash = false;
        Token? previous = null;
        foreach (var token in parse.Tokens)
        {
            bool takesValue = previous is { Type: TokenType.Option } && TakesValue(previous.Value, command);
            previous = token;
            if (token.Type == TokenType.DoubleDash) afterDoubleDash = true;
            if (token.Type != TokenType.Argument || afterDoubleDash || takesValue) continue;
            string value = token.Value;
            if (value.Length > 1 && value[0] == '-')
            {
                string name = value.IndexOf('=') is > 0 and var eq ? value[..eq] : value;
                return $"unknown option '{name}' — " + (Nearest(name, OptionNames(command, root)) is { Length: > 0 } near
                    ? $"{near}Run '{help}' for the options" : $"run '{help}' for the options");
            }
        }
        foreach (var token in parse.UnmatchedTokens)
        {
            if (token.Length > 1 && token[0] == '-')
                return $"unknown option '{token}' — " + (Nearest(token, OptionNames(command, root)) is { Length: > 0 } near
                    ? $"{near}Run '{help}' for the options" : $"run '{help}' for the options");
            if (command == root)
                return $"unknown command '{token}' — " + (Nearest(token, CommandNames(root)) is { Length: > 0 } near
                    ? $"{near}The commands are {CliOptions.Words(CommandNames(root))}" : $"use {CliOptions.Words(CommandNames(root))}");
            return $"unexpected argument '{token}' — run '{help}' for the usage";
        }
        foreach (var e in parse.Errors)
        {
            if (e.SymbolResult is OptionResult { IdentifierTokenCount: > 1 } repeated)
                return $"{repeated.Option.Name} is given {repeated.IdentifierTokenCount} times — give it once";
            if (e.SymbolResult is OptionResult { Tokens.Count: 0 } r && r.Option.Arity.MinimumNumberOfValues > 0)
                return $"{r.Option.Name} needs a value — e.g. '{r.Option.Name} {CliOptions.Example(r.Option.Name)}'";
            return e.Message;
        }
        return null;
    }

    private static bool IsOption(string name, Command command)
    {
        foreach (var o in command.Options)
            if (o.Name == name || o.Aliases.Contains(name)) return true;
        return false;
    }

    private static bool TakesValue(string name, Command command)
    {
        foreach (var o in command.Options)
            if (o.Name == name || o.Aliases.Contains(name)) return o.Arity.MaximumNumberOfValues > 0;
        return false;
    }

    private static List<string> CommandNames(Command root)
    {
        var names = new List<string>();
        foreach (var c in root.Subcommands) names.Add(c.Name);
        return names;
    }

    private static List<string> OptionNames(Command command, Command root)
    {
        var names = new List<string>();
        foreach (var o in command.Options)
        {
            names.Add(o.Name);
            foreach (var a in o.Aliases) names.Add(a);
        }
        if (command != root)
            foreach (var o in root.Options)
                if (o.Recursive) names.Add(o.Name);
        return names;
    }

    /// <summary>"did you mean 'X'? " for the closest name within a third of its length in edits (at least one,
    /// at most three), or that the typed text begins; else "".</summary>
    internal static string Nearest(string typed, IReadOnlyList<string> names)
    {
        int allowed = Math.Clamp(typed.TrimStart('-').Length / 3, 1, 3);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var name in names)
        {
            int d = typed.TrimStart('-').Length >= 3 && name.StartsWith(typed, StringComparison.Ordinal) ? 0 : Distance(typed, name);
            if (d <= allowed && d < bestDistance) (best, bestDistance) = (name, d);
        }
        return best is null ? "" : $"did you mean '{best}'? ";
    }

    /// <summary>The Levenshtein distance of two names.</summary>
    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) row[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    /// <summary>The seed a command line runs with (its --seed, else the default), for the internal-error report.</summary>
    private static string SeedOf(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seed" && i + 1 < args.Length) return args[i + 1];
            if (args[i].StartsWith("--seed=", StringComparison.Ordinal)) return args[i][7..];
        }
        return new Checker.Exploration.ExplorationOptions().Seed.ToString(System.Globalization.CultureInfo.InvariantCulture) + " (the default)";
    }
}
