namespace Checker.Cli;

/// <summary>The <c>checker</c> command line (DESIGN §6). Internal errors are caught once here: exit code 3,
/// with a request to report the ordering and seed.</summary>
public static class CheckerCommand
{
    public const string Usage = """
        usage:
          checker check PATH…      [--strategy auto|random|pct|exhaustive] [--schedules N] [--bound K] [--seed S]
                                   [--jobs J] [--shard I/N] [--json] [--html FILE] [--save-trace DIR] [--log FILE]
          checker validate PATH…   parse and check .order files; print diagnostics; exit 0 or 1
          checker replay FILE.trace…       [--log FILE] [-v]
          checker diff A.order B.order   invariants each violates, a distinguishing schedule, costs side by side
          checker list [DIR]       invariants, profiles, arches, flavors, ops, the catalog's entries
          checker merge SHARD.json…      combine the --json results of a run split with --shard I/N
          checker catalog-readme [DIR]   write README.md's catalog section from a run of the catalog
          checker bench            throughput figures for BENCHMARKS.md
        """;

    /// <summary>Tests set this to make the next command fail inside, as a checker bug would.</summary>
    internal static Action? FaultInjection { get; set; }

    public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken cancel = default)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            (args.Length == 0 ? error : output).WriteLine(Usage);
            return args.Length == 0 ? ExitCodes.BadInput : ExitCodes.Ok;
        }
        try
        {
            var rest = args[1..];
            FaultInjection?.Invoke();
            switch (args[0])
            {
                case "validate":
                    return ValidateCommand.Run(rest, output, error);
                case "check":
                    return CheckCommand.Run(rest, output, error, cancel);
                case "replay":
                    return ReplayCommand.Run(rest, output, error);
                case "diff":
                    return DiffCommand.Run(rest, output, error, cancel);
                case "list":
                    return ListCommand.Run(rest, output, error);
                case "catalog-readme":
                    return CatalogReadme.Run(rest, output, error);
                case "merge":
                    return MergeCommand.Run(rest, output, error);
                case "bench":
                    return BenchCommand.Run(rest, output, error);
                default:
                    error.WriteLine($"checker: error: unknown command '{args[0]}' — use check, validate, replay, diff, list, merge, catalog-readme or bench");
                    error.WriteLine(Usage);
                    return ExitCodes.BadInput;
            }
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
