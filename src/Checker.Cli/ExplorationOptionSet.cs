using System.CommandLine;
using System.Globalization;
using Checker.Exploration;
using Checker.Language;
using ParseResult = System.CommandLine.ParseResult;

namespace Checker.Cli;

/// <summary>The exploration options that <c>check</c> and <c>diff</c> share (<c>--shard</c> is
/// <c>check</c>'s alone), and how they become <see cref="ExplorationOptions"/>.</summary>
public sealed class ExplorationOptionSet
{
    public Option<StrategyKind> Strategy { get; } = CliOptions.Choice("--strategy",
        [("auto", StrategyKind.Auto), ("random", StrategyKind.Random), ("pct", StrategyKind.Pct), ("exhaustive", StrategyKind.Exhaustive)], "auto",
        "how schedules are chosen: auto = exhaustive search up to the state budget, then pct; random = uniform choices; "
        + "pct = probabilistic concurrency testing; exhaustive = every schedule within the bound", "unknown strategy");

    public Option<long> Schedules { get; } = CliOptions.Integer("--schedules", "N", ExplorationOptions.DefaultSchedules, 0, Limits.MaxSchedules,
        "random or pct schedules per ordering", "the number of random or pct schedules per ordering");

    public Option<long> Bound { get; } = CliOptions.Integer("--bound", "K", ExplorationOptions.DefaultBound, 0, Limits.MaxBound,
        "at most K environment actions (CPU and device accesses, frees, reuses) per schedule",
        "at most K environment actions per schedule; exhaustive search grows exponentially in K");

    public Option<ulong> Seed { get; } = CliOptions.Parsed("--seed", "S", 1UL,
        new OptionInfo("unsigned 64-bit integer", "1", "in decimal or 0x hex"),
        "the seed of every random choice: the same seed and options give the same run", ParseSeed);

    public Option<long> Jobs { get; } = CliOptions.Integer("--jobs", "J", Environment.ProcessorCount, 1, 256,
        "worker threads: J orderings at once, or all J on a single ordering (its exhaustive search and its sampling); the result does not depend on J",
        "the number of worker threads", defaultText: "one per core");

    public Option<long> PctDepth { get; } = CliOptions.Integer("--pct-depth", "D", ExplorationOptions.DefaultPctDepth, 1, 16,
        "pct's bug depth d: d - 1 priority change points per schedule", "pct's bug depth d (d - 1 change points)");

    public Option<long> States { get; } = CliOptions.Integer("--states", "N", ExplorationOptions.DefaultStateLimit, 1, Limits.MaxStates,
        "exhaustive search's state budget, about 20 bytes a state",
        "exhaustive search's state budget (its visited table takes about 20 bytes a state)");

    public Option<(int Shard, int Shards)> Shard { get; } = CliOptions.Parsed("--shard", "I/N", (0, 1),
        new OptionInfo("I/N", "0/1", "0 ≤ I < N ≤ 1024"),
        "run part I of a run split over N machines; 'checker merge' combines their --json results", ParseShard);

    public Option<bool> NoSymmetry { get; } = CliOptions.Flag("--no-symmetry",
        "exhaustive search without symmetry reduction: states that differ only by interchangeable pages, CPUs, devices or shadows are searched apart");

    public void AddTo(Command command, bool shard)
    {
        command.Options.Add(NoSymmetry);
        command.Options.Add(Strategy);
        command.Options.Add(Schedules);
        command.Options.Add(Bound);
        command.Options.Add(Seed);
        command.Options.Add(Jobs);
        if (shard) command.Options.Add(Shard);
        command.Options.Add(PctDepth);
        command.Options.Add(States);
    }

    public ExplorationOptions Read(ParseResult parse)
    {
        var (shard, shards) = parse.GetResult(Shard) is null ? (0, 1) : parse.GetValue(Shard);
        return new ExplorationOptions
        {
            Strategy = parse.GetValue(Strategy),
            Schedules = parse.GetValue(Schedules),
            Bound = (int)parse.GetValue(Bound),
            Seed = parse.GetValue(Seed),
            Jobs = (int)parse.GetValue(Jobs),
            Shard = shard,
            Shards = shards,
            PctDepth = (int)parse.GetValue(PctDepth),
            StateLimit = parse.GetValue(States),
            Symmetry = !parse.GetValue(NoSymmetry),
        };
    }

    private static (ulong, string?) ParseSeed(string text)
    {
        bool hex = text.StartsWith("0x", StringComparison.Ordinal);
        return ulong.TryParse(hex ? text[2..] : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)
            ? (seed, null)
            : (1, $"--seed must be an unsigned 64-bit number, found '{text}' — e.g. '--seed 42' or '--seed 0x2a'");
    }

    private static ((int, int), string?) ParseShard(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int shard)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int shards) || shards < 1 || shards > 1024 || shard >= shards)
            return ((0, 1), $"--shard must be I/N with 0 <= I < N <= 1024, found '{text}' — e.g. '--shard 0/4' on the first of four machines");
        return ((shard, shards), null);
    }
}
