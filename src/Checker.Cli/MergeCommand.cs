using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Checker.Cli.Json;
using Checker.Exploration;
using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Cli;

/// <summary>
/// <c>checker merge SHARD.json…</c>: combines the <c>--json</c> results of one run split with
/// <c>--shard I/N</c> over N machines into the result of the whole run. Per ordering: the found sets are
/// united, explored counts summed (the exhaustive search is shard 0's alone, so its states and completeness are
/// the unsharded run's), and per invariant the counterexample whose unshrunk candidate ranks first (fewest
/// environment actions, then fewest steps, then lowest schedule index: <see cref="CandidateRank"/>) is kept, as
/// one unsharded run ranks its candidates; the verdict is decided again from <c>expect</c> by
/// <see cref="Verdict.Of"/>, as <c>check</c> decides it. Every shard 0…N-1 must be given exactly once. The shards'
/// schedules together are the run's, each shard keeps its best candidate and shrinking is deterministic, so the
/// merged document equals the unsharded run's <c>--json</c> but for its <c>shard</c> line. Reads and writes the
/// same <see cref="RunDocument"/>. Exit codes as for <c>check</c>.
/// </summary>
public static class MergeCommand
{
    private const string PassShards = " — pass the output of 'checker check --json --shard I/N'";

    public static Command Build(CliContext ctx)
    {
        var shards = CliOptions.Paths("SHARD", "files", "the --json output of 'checker check --shard I/N' for every I from 0 to N-1, once each");
        var command = new Command("merge", "combine the --json results of a run split with --shard I/N into the whole run's result (exit codes as for check)")
        {
            shards,
        };
        command.SetAction(parse => Run(parse.GetValue(shards) ?? [], ctx.Output, ctx.Error));
        return command;
    }

    private static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0)
        {
            error.WriteLine("checker merge: error: no results given — usage: checker merge SHARD.json… (the --json output of each --shard I/N)");
            return ExitCodes.BadInput;
        }
        var docs = new List<RunDocument>();
        foreach (var path in args)
        {
            if (!File.Exists(path))
            {
                error.WriteLine($"{path}:1:1: error: no such file — check the path");
                return ExitCodes.BadInput;
            }
            RunDocument? doc;
            try
            {
                doc = JsonReport.Read(File.ReadAllText(path));
            }
            catch (JsonException e)
            {
                error.WriteLine($"{path}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: error: not a checker --json result: {Reason(e)}{PassShards}");
                return ExitCodes.BadInput;
            }
            if (doc is null)
            {
                error.WriteLine($"checker merge: error: {path} is not the --json result of one shard: the document is null{PassShards}");
                return ExitCodes.BadInput;
            }
            docs.Add(doc);
        }
        string? mismatch = Mismatch(docs, args, out var shardOf);
        if (mismatch is not null)
        {
            error.WriteLine($"checker merge: error: {mismatch}");
            return ExitCodes.BadInput;
        }
        var merged = Merge(docs, shardOf);
        output.Write(JsonReport.Serialize(merged));
        bool allMet = true;
        foreach (var o in merged.Orderings) allMet &= o.Met;
        return allMet ? ExitCodes.Ok : ExitCodes.Violation;
    }

    /// <summary>What the serializer found wrong, in JSON's terms (its position is printed in front): the fields
    /// missing, a null or a value of the wrong kind and where, or the parser's own words for what is not JSON.</summary>
    private static string Reason(JsonException e)
    {
        string where = e.Path is { Length: > 1 } p ? $" at {p}" : "";
        string m = e.Message;
        int missing = m.IndexOf("including: ", StringComparison.Ordinal);
        if (missing >= 0) return $"no {m[(missing + "including: ".Length)..].Split(". ")[0].TrimEnd('.')}{(where.Length > 0 ? " in the object" + where : "")}";
        if (m.Contains("doesn't allow null values", StringComparison.Ordinal)) return "a null" + where;
        if (m.Contains("could not be converted", StringComparison.Ordinal))
            return where.Length > 0 ? "a value of the wrong kind" + where : "the document is not a JSON object";
        int at = m.IndexOf(" Path: ", StringComparison.Ordinal);
        return at >= 0 ? m[..at] : m;
    }

    private const string OneRun = " — merge only the shards of one run (same strategy, seed, bound, schedules, N and orderings)";

    /// <summary>Why these documents are not the shards of one run, or null; <paramref name="shardOf"/> is each
    /// document's shard. Also rejects what is not a checker <c>--json</c> result of one shard (a merged document, a
    /// hand-edited one).</summary>
    private static string? Mismatch(List<RunDocument> docs, IReadOnlyList<string> paths, out int[] shardOf)
    {
        shardOf = new int[docs.Count];
        int total = 0;
        for (int i = 0; i < docs.Count; i++)
        {
            var doc = docs[i];
            string? malformed = Malformed(doc);
            if (malformed is not null) return $"{paths[i]} is not the --json result of one shard: {malformed}{PassShards}";
            var parts = doc.Shard.Split('/');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out shardOf[i])
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || shardOf[i] >= n)
                return $"{paths[i]} has shard '{doc.Shard}', not I/N — merge the shards' own results, not a merged one";
            if (i > 0 && n != total) return "the shards come from runs split into different numbers of parts" + OneRun;
            total = n;
        }
        var first = docs[0];
        for (int i = 1; i < docs.Count; i++)
        {
            var d = docs[i];
            string? differs = d.Strategy != first.Strategy ? $"strategy '{d.Strategy}', {paths[0]} has '{first.Strategy}'"
                : d.Seed != first.Seed ? $"seed {d.Seed}, {paths[0]} has {first.Seed}"
                : d.Bound != first.Bound ? $"bound {d.Bound}, {paths[0]} has {first.Bound}"
                : d.Schedules != first.Schedules ? $"schedules {d.Schedules}, {paths[0]} has {first.Schedules}"
                : d.PctDepth != first.PctDepth ? $"pctDepth {d.PctDepth}, {paths[0]} has {first.PctDepth}"
                : null;
            if (differs is not null) return $"{paths[i]} has {differs}{OneRun}";
            if (d.Orderings.Count != first.Orderings.Count)
                return $"{paths[i]} holds {d.Orderings.Count} orderings, {paths[0]} {first.Orderings.Count}{OneRun}";
            for (int k = 0; k < d.Orderings.Count; k++)
            {
                var (o, o0) = (d.Orderings[k], first.Orderings[k]);
                foreach (var (key, value, value0) in new[] { ("file", o.File, o0.File), ("name", o.Name, o0.Name),
                    ("expect", ExpectText(o.Expect), ExpectText(o0.Expect)) })
                    if (value != value0)
                        return $"ordering {k + 1} of {paths[i]} is '{value}', of {paths[0]} '{value0}' ({key}){OneRun}";
            }
        }
        var seen = new bool[total];
        for (int i = 0; i < docs.Count; i++)
        {
            if (seen[shardOf[i]]) return $"shard {shardOf[i]}/{total} is given twice" + OneRun;
            seen[shardOf[i]] = true;
        }
        var missing = new List<string>();
        for (int i = 0; i < total; i++)
            if (!seen[i]) missing.Add($"{i}/{total}");
        if (missing.Count > 0)
            return $"shard {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} missing: without every part, the merged run would claim what no machine explored — pass the --json result of every shard 0/N … N-1/N";
        return null;
    }

    /// <summary>What the serializer's shape cannot say is wrong with a shard's result — an unknown strategy or
    /// invariant, a malformed expectation, a counterexample without its candidate — or null.</summary>
    private static string? Malformed(RunDocument doc)
    {
        if (!CheckCommand.TryStrategy(doc.Strategy, out _)) return $"unknown strategy '{doc.Strategy}'";
        for (int k = 0; k < doc.Orderings.Count; k++)
        {
            var o = doc.Orderings[k];
            if (o is null) return $"ordering {k + 1} is null";
            if (o.Expect is { } e && e.ToExpect(out string? problem) is null) return $"ordering {k + 1} has {problem}";
            foreach (var f in o.Found)
                if (f is null || !Invariant.TryParse(f, out _)) return $"ordering {k + 1} lists an unknown invariant in 'found'";
            foreach (var (name, trace) in o.Counterexamples)
            {
                if (trace is null || !Invariant.TryParse(name, out _)) return $"ordering {k + 1} has a malformed counterexample '{name}'";
                if (!o.Candidates.ContainsKey(name)) return $"ordering {k + 1}'s counterexample '{name}' has no candidate";
            }
        }
        return null;
    }

    private static string ExpectText(ExpectDocument? e) => e?.ToString() ?? "none";

    private static RunDocument Merge(List<RunDocument> docs, int[] shardOf)
    {
        var first = docs[0];
        CheckCommand.TryStrategy(first.Strategy, out var strategy);
        bool searched = strategy is StrategyKind.Exhaustive or StrategyKind.Auto;
        // the parts in shard order, so that on equal ranks the lower shard's counterexample stays
        var byShard = new RunDocument[docs.Count];
        for (int i = 0; i < docs.Count; i++) byShard[shardOf[i]] = docs[i];
        var orderings = new List<OrderingDocument>(first.Orderings.Count);
        for (int k = 0; k < first.Orderings.Count; k++) // position by position: the shards checked the same list
        {
            var o0 = byShard[0].Orderings[k];
            var found = new SortedSet<InvariantId>();
            var best = new SortedDictionary<InvariantId, (string Trace, CandidateRank Rank, IReadOnlyList<TreeStepDocument>? Tree)>();
            long explored = 0, schedules = 0, states = 0;
            bool complete = true, cancelled = false;
            foreach (var doc in byShard)
            {
                var o = doc.Orderings[k];
                foreach (var f in o.Found)
                    if (Invariant.TryParse(f, out var id)) found.Add(id);
                foreach (var (name, trace) in o.Counterexamples)
                {
                    if (!Invariant.TryParse(name, out var id)) continue;
                    var rank = o.Candidates[name];
                    if (!best.TryGetValue(id, out var b) || rank.CompareTo(b.Rank) < 0)
                        best[id] = (trace, rank, o.TreeSteps is { } trees && trees.TryGetValue(name, out var tree) ? tree : null); // §7
                }
                explored += o.Explored;
                schedules += o.Schedules;
                states += o.States;
                complete &= o.Complete;
                cancelled |= o.Cancelled;
            }
            var verdict = Verdict.Of(o0.Expect?.ToExpect(out _), found, searched && complete, schedules > 0, cancelled, part: false);
            var names = new List<string>(found.Count);
            foreach (var id in found) names.Add(Invariant.NameOf(id));
            var traces = new Dictionary<string, string>(best.Count);
            var candidates = new Dictionary<string, CandidateRank>(best.Count);
            Dictionary<string, IReadOnlyList<TreeStepDocument>>? treeSteps = null; // §7
            foreach (var (id, b) in best)
            {
                traces.Add(Invariant.NameOf(id), b.Trace);
                candidates.Add(Invariant.NameOf(id), b.Rank);
                if (b.Tree is not null) (treeSteps ??= new Dictionary<string, IReadOnlyList<TreeStepDocument>>()).Add(Invariant.NameOf(id), b.Tree);
            }
            orderings.Add(new OrderingDocument(o0.File, o0.Name, o0.Expect, verdict.Name, verdict.Established, names, traces, candidates,
                explored, schedules, states, complete, cancelled, o0.Costs)
            { Symmetry = o0.Symmetry, OmissionBound = o0.OmissionBound, TreeSteps = treeSteps }); // shard 0 ran the exhaustive search
        }
        return first with { Shard = $"merged {docs.Count} of {docs.Count}", Orderings = orderings };
    }
}
