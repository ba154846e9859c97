using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Checker.Exploration;
using Checker.Invariants;
using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Cli;

/// <summary>
/// <c>checker merge SHARD.json…</c>: combines the <c>--json</c> results of one run split with
/// <c>--shard I/N</c> over N machines into the result of the whole run. Per ordering: the found sets are
/// united, explored counts summed (the exhaustive search is shard 0's alone, so its states and completeness are
/// the unsharded run's), and per invariant the counterexample whose unshrunk candidate ranks first (fewest
/// environment actions, then fewest steps, then lowest schedule index: <see cref="CandidateRank"/>) is kept, as
/// one unsharded run ranks its candidates; <c>met</c> is decided again from <c>expect</c> as <c>check</c> decides
/// it. Every shard 0…N-1 must be given exactly once. The shards' schedules together are the run's, each shard
/// keeps its best candidate and shrinking is deterministic, so the merged document equals the unsharded run's
/// <c>--json</c> but for its <c>shard</c> line. Exit codes as for <c>check</c>.
/// </summary>
public static class MergeCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0)
        {
            error.WriteLine("checker merge: error: no results given — usage: checker merge SHARD.json… (the --json output of each --shard I/N)");
            return ExitCodes.BadInput;
        }
        var docs = new List<JsonDocument>();
        try
        {
            foreach (var path in args)
            {
                if (!File.Exists(path))
                {
                    error.WriteLine($"{path}:1:1: error: no such file — check the path");
                    return ExitCodes.BadInput;
                }
                try
                {
                    docs.Add(JsonDocument.Parse(File.ReadAllText(path)));
                }
                catch (JsonException e)
                {
                    error.WriteLine($"{path}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: error: not a checker --json result ({e.Message}) — pass the output of 'checker check --json --shard I/N'");
                    return ExitCodes.BadInput;
                }
            }
            string? mismatch = Mismatch(docs, args);
            if (mismatch is not null)
            {
                error.WriteLine($"checker merge: error: {mismatch}");
                return ExitCodes.BadInput;
            }
            var (json, allMet) = Merge(docs);
            output.Write(json);
            return allMet ? ExitCodes.Ok : ExitCodes.Violation;
        }
        finally
        {
            foreach (var d in docs) d.Dispose();
        }
    }

    private const string OneRun = " — merge only the shards of one run (same strategy, seed, bound, schedules, N and orderings)";

    /// <summary>Why these documents are not the shards of one run, or null. Also rejects what is not a checker
    /// <c>--json</c> result of one shard (a merged document, a hand-edited one).</summary>
    private static string? Mismatch(List<JsonDocument> docs, IReadOnlyList<string> paths)
    {
        var shardOf = new int[docs.Count];
        int total = 0;
        for (int i = 0; i < docs.Count; i++)
        {
            var root = docs[i].RootElement;
            string? shape = Shape(root);
            if (shape is not null) return $"{paths[i]} is not the --json result of one shard: {shape} — pass the output of 'checker check --json --shard I/N'";
            var parts = root.GetProperty("shard").GetString()!.Split('/');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out shardOf[i])
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || shardOf[i] >= n)
                return $"{paths[i]} has shard '{root.GetProperty("shard").GetString()}', not I/N — merge the shards' own results, not a merged one";
            if (i > 0 && n != total) return "the shards come from runs split into different numbers of parts" + OneRun;
            total = n;
        }
        var first = docs[0].RootElement;
        foreach (var key in new[] { "strategy", "seed", "bound", "schedules", "pctDepth" })
            for (int i = 1; i < docs.Count; i++)
                if (docs[i].RootElement.GetProperty(key).GetRawText() != first.GetProperty(key).GetRawText())
                    return $"{paths[i]} has {key} {docs[i].RootElement.GetProperty(key).GetRawText()}, {paths[0]} has {first.GetProperty(key).GetRawText()}{OneRun}";
        var firstOrderings = first.GetProperty("orderings");
        for (int i = 1; i < docs.Count; i++)
        {
            var orderings = docs[i].RootElement.GetProperty("orderings");
            if (orderings.GetArrayLength() != firstOrderings.GetArrayLength())
                return $"{paths[i]} holds {orderings.GetArrayLength()} orderings, {paths[0]} {firstOrderings.GetArrayLength()}{OneRun}";
            for (int k = 0; k < orderings.GetArrayLength(); k++)
                foreach (var key in new[] { "file", "name", "expect" })
                    if (orderings[k].GetProperty(key).GetString() != firstOrderings[k].GetProperty(key).GetString())
                        return $"ordering {k + 1} of {paths[i]} is '{orderings[k].GetProperty(key).GetString()}', of {paths[0]} '{firstOrderings[k].GetProperty(key).GetString()}' ({key}){OneRun}";
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

    /// <summary>What is missing or mistyped in a shard's result, or null when it has every field merge reads.</summary>
    private static string? Shape(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return "the document is not a JSON object";
        foreach (var (key, kind) in new[] { ("strategy", JsonValueKind.String), ("seed", JsonValueKind.Number), ("bound", JsonValueKind.Number),
            ("schedules", JsonValueKind.Number), ("pctDepth", JsonValueKind.Number), ("shard", JsonValueKind.String), ("orderings", JsonValueKind.Array) })
            if (!root.TryGetProperty(key, out var v) || v.ValueKind != kind) return $"no {kind.ToString().ToLowerInvariant()} '{key}'";
        if (!CheckCommand.TryStrategy(root.GetProperty("strategy").GetString()!, out _)) return $"unknown strategy '{root.GetProperty("strategy").GetString()}'";
        int k = 0;
        foreach (var o in root.GetProperty("orderings").EnumerateArray())
        {
            k++;
            if (o.ValueKind != JsonValueKind.Object) return $"ordering {k} is not an object";
            foreach (var (key, kind) in new[] { ("file", JsonValueKind.String), ("name", JsonValueKind.String), ("expect", JsonValueKind.String),
                ("found", JsonValueKind.Array), ("counterexamples", JsonValueKind.Object), ("explored", JsonValueKind.Number),
                ("schedules", JsonValueKind.Number), ("states", JsonValueKind.Number), ("costs", JsonValueKind.Object) })
                if (!o.TryGetProperty(key, out var v) || v.ValueKind != kind) return $"ordering {k} has no {kind.ToString().ToLowerInvariant()} '{key}'";
            foreach (var key in new[] { "complete", "cancelled" })
                if (!o.TryGetProperty(key, out var v) || v.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return $"ordering {k} has no boolean '{key}'";
            foreach (var f in o.GetProperty("found").EnumerateArray())
                if (f.ValueKind != JsonValueKind.String || !Invariant.TryParse(f.GetString()!, out _)) return $"ordering {k} lists an unknown invariant in 'found'";
            foreach (var cx in o.GetProperty("counterexamples").EnumerateObject())
                if (cx.Value.ValueKind != JsonValueKind.String || !Invariant.TryParse(cx.Name, out _)) return $"ordering {k} has a malformed counterexample '{cx.Name}'";
            if (!o.TryGetProperty("candidates", out var cands) || cands.ValueKind != JsonValueKind.Object) return $"ordering {k} has no object 'candidates'";
            foreach (var cx in o.GetProperty("counterexamples").EnumerateObject())
                foreach (var key in new[] { "environmentActions", "steps", "index" })
                    if (!cands.TryGetProperty(cx.Name, out var c) || c.ValueKind != JsonValueKind.Object
                        || !c.TryGetProperty(key, out var v) || v.ValueKind != JsonValueKind.Number)
                        return $"ordering {k}'s counterexample '{cx.Name}' has no candidate with a number '{key}'";
        }
        return null;
    }

    private static (string Json, bool AllMet) Merge(List<JsonDocument> docs)
    {
        var first = docs[0].RootElement;
        CheckCommand.TryStrategy(first.GetProperty("strategy").GetString() ?? "", out var strategy);
        bool searched = strategy is StrategyKind.Exhaustive or StrategyKind.Auto;
        // the parts in shard order, so that on equal ranks the lower shard's counterexample stays
        var byShard = new List<JsonDocument>(docs);
        byShard.Sort((a, b) => ShardOf(a).CompareTo(ShardOf(b)));
        bool allMet = true;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            foreach (var key in new[] { "strategy", "seed", "bound", "schedules", "pctDepth" })
            {
                w.WritePropertyName(key);
                first.GetProperty(key).WriteTo(w);
            }
            w.WriteString("shard", $"merged {docs.Count} of {docs.Count}");
            w.WriteStartArray("orderings");
            int count = first.GetProperty("orderings").GetArrayLength();
            for (int k = 0; k < count; k++) // position by position: the shards checked the same list
            {
                var o0 = byShard[0].RootElement.GetProperty("orderings")[k];
                var found = new SortedSet<InvariantId>();
                var best = new SortedDictionary<InvariantId, (string Trace, CandidateRank Rank)>();
                long explored = 0, schedules = 0, states = 0;
                bool complete = true, cancelled = false;
                foreach (var doc in byShard)
                {
                    var o = doc.RootElement.GetProperty("orderings")[k];
                    foreach (var f in o.GetProperty("found").EnumerateArray())
                        if (Invariant.TryParse(f.GetString()!, out var id)) found.Add(id);
                    foreach (var cx in o.GetProperty("counterexamples").EnumerateObject())
                    {
                        if (!Invariant.TryParse(cx.Name, out var id)) continue;
                        var rank = JsonReport.ReadCandidate(o.GetProperty("candidates").GetProperty(cx.Name));
                        if (!best.TryGetValue(id, out var b) || rank.CompareTo(b.Rank) < 0) best[id] = (cx.Value.GetString()!, rank);
                    }
                    explored += o.GetProperty("explored").GetInt64();
                    schedules += o.GetProperty("schedules").GetInt64();
                    states += o.GetProperty("states").GetInt64();
                    complete &= o.GetProperty("complete").GetBoolean();
                    cancelled |= o.GetProperty("cancelled").GetBoolean();
                }
                string expect = o0.GetProperty("expect").GetString()!;
                bool met = IsMet(expect, found, searched && complete, schedules > 0, cancelled);
                allMet &= met;
                w.WriteStartObject();
                w.WriteString("file", o0.GetProperty("file").GetString());
                w.WriteString("name", o0.GetProperty("name").GetString());
                w.WriteString("expect", expect);
                w.WriteBoolean("met", met);
                w.WriteStartArray("found");
                foreach (var id in found) w.WriteStringValue(Invariant.NameOf(id));
                w.WriteEndArray();
                w.WriteStartObject("counterexamples");
                foreach (var (id, b) in best) w.WriteString(Invariant.NameOf(id), b.Trace);
                w.WriteEndObject();
                w.WriteStartObject("candidates");
                foreach (var (id, b) in best) JsonReport.WriteCandidate(w, id, b.Rank);
                w.WriteEndObject();
                w.WriteNumber("explored", explored);
                w.WriteNumber("schedules", schedules);
                w.WriteNumber("states", states);
                w.WriteBoolean("complete", complete);
                w.WriteBoolean("cancelled", cancelled);
                w.WritePropertyName("costs");
                o0.GetProperty("costs").WriteTo(w);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return (Encoding.UTF8.GetString(stream.ToArray()) + "\n", allMet);
    }

    private static int ShardOf(JsonDocument d) =>
        int.Parse(d.RootElement.GetProperty("shard").GetString()!.Split('/')[0], CultureInfo.InvariantCulture);

    private static bool IsMet(string expect, IReadOnlyCollection<InvariantId> found, bool searchComplete, bool sampled, bool cancelled)
    {
        HeaderLine.Expect? e = null;
        if (expect != "none")
        {
            var ids = new List<InvariantId>();
            if (expect != "pass")
                foreach (var name in expect.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..])
                    if (Invariant.TryParse(name, out var id)) ids.Add(id);
            e = new HeaderLine.Expect(new Checker.Text.EquatableArray<InvariantId>([.. ids]), SourcePos.None);
        }
        return Verdict.Of(e, found, searchComplete, sampled, cancelled, part: false).Established;
    }
}
