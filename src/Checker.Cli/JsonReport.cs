using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Checker.Exploration;
using Checker.Invariants;
using Checker.Vocabulary;

namespace Checker.Cli;

/// <summary>
/// <c>--json</c>: the whole run as one document (DESIGN §6). Nothing in it depends on timing or on
/// <c>--jobs</c>, so the same ordering, strategy and seed give byte-identical output.
/// </summary>
public static class JsonReport
{
    public static string Write(IReadOnlyList<OrderingResult> results, ExplorationOptions options)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("strategy", CheckCommand.StrategyName(options.Strategy));
            w.WriteNumber("seed", options.Seed);
            w.WriteNumber("bound", options.Bound);
            w.WriteNumber("schedules", options.Schedules);
            w.WriteNumber("pctDepth", options.PctDepth);
            w.WriteString("shard", $"{options.Shard}/{options.Shards}");
            w.WriteStartArray("orderings");
            foreach (var r in results) WriteOrdering(w, r);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>One entry of an ordering's <c>candidates</c> object (also written by <c>merge</c>).</summary>
    public static void WriteCandidate(Utf8JsonWriter w, InvariantId id, CandidateRank rank)
    {
        w.WriteStartObject(Invariant.NameOf(id));
        w.WriteNumber("environmentActions", rank.EnvironmentActions);
        w.WriteNumber("steps", rank.Steps);
        w.WriteNumber("index", rank.Index);
        w.WriteEndObject();
    }

    /// <summary>Reads an entry written by <see cref="WriteCandidate"/>.</summary>
    public static CandidateRank ReadCandidate(JsonElement c) =>
        new(c.GetProperty("environmentActions").GetInt32(), c.GetProperty("steps").GetInt32(), c.GetProperty("index").GetInt64());

    private static void WriteOrdering(Utf8JsonWriter w, OrderingResult r)
    {
        w.WriteStartObject();
        w.WriteString("file", r.File.Replace('\\', '/'));
        w.WriteString("name", r.Name);
        w.WriteString("expect", r.ExpectText);
        w.WriteBoolean("met", r.Met);
        w.WriteStartArray("found");
        foreach (var id in r.Found) w.WriteStringValue(Invariant.NameOf(id));
        w.WriteEndArray();
        w.WriteStartObject("counterexamples");
        foreach (var (id, cx) in r.Counterexamples)
            w.WriteString(Invariant.NameOf(id), CheckCommand.TraceText(r, cx));
        w.WriteEndObject();
        // each counterexample's unshrunk candidate as the explorer ranked it: what 'merge' needs to pick, among
        // the shards' counterexamples, the one an unsharded run would have kept
        w.WriteStartObject("candidates");
        foreach (var (id, cx) in r.Counterexamples) WriteCandidate(w, id, cx.Rank);
        w.WriteEndObject();
        w.WriteNumber("explored", r.Explored);
        w.WriteNumber("schedules", r.Schedules);
        w.WriteNumber("states", r.States);
        w.WriteBoolean("complete", r.Complete);
        w.WriteBoolean("cancelled", r.Cancelled);
        w.WriteStartObject("costs");
        w.WriteNumber("secondaryInvalidations", r.Costs.SecondaryInvalidations);
        w.WriteNumber("pagesDropped", r.Costs.PagesDropped);
        w.WriteNumber("fullFlushes", r.Costs.FullFlushes);
        w.WriteNumber("redundantInvalidations", r.Costs.RedundantInvalidations);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
