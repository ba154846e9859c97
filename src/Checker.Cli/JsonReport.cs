using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Checker.Cli.Json;
using Checker.Exploration;
using Checker.Vocabulary;

namespace Checker.Cli;

/// <summary>
/// <c>--json</c>: the whole run as one <see cref="RunDocument"/> (DESIGN §6). Nothing in it depends on timing or on
/// <c>--jobs</c>, so the same ordering, strategy and seed give byte-identical output.
/// </summary>
public static class JsonReport
{
    public static string Write(IReadOnlyList<OrderingResult> results, ExplorationOptions options)
    {
        var orderings = new List<OrderingDocument>(results.Count);
        foreach (var r in results) orderings.Add(Ordering(r));
        return Serialize(new RunDocument(CheckCommand.StrategyName(options.Strategy), options.Seed, options.Bound, options.Schedules,
            options.PctDepth, $"{options.Shard}/{options.Shards}", orderings));
    }

    /// <summary>The document as <c>check --json</c> and <c>merge</c> print it: indented, non-ASCII and HTML
    /// characters as they are (the traces are meant to be read), one newline at the end.</summary>
    public static string Serialize(RunDocument document)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            JsonSerializer.Serialize(w, document, RunDocumentContext.Default.RunDocument);
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Reads a document; throws <see cref="JsonException"/> when the text is not JSON of its shape.</summary>
    public static RunDocument? Read(string text) => JsonSerializer.Deserialize(text, RunDocumentContext.Default.RunDocument);

    private static OrderingDocument Ordering(OrderingResult r)
    {
        var found = new List<string>(r.Found.Count);
        foreach (var id in r.Found) found.Add(Invariant.NameOf(id));
        var traces = new Dictionary<string, string>(r.Counterexamples.Count);
        // each counterexample's unshrunk candidate as the explorer ranked it: what 'merge' needs to pick, among
        // the shards' counterexamples, the one an unsharded run would have kept
        var candidates = new Dictionary<string, CandidateRank>(r.Counterexamples.Count);
        Dictionary<string, IReadOnlyList<TreeStepDocument>>? treeSteps = null; // §7
        foreach (var (id, cx) in r.Counterexamples)
        {
            traces.Add(Invariant.NameOf(id), CheckCommand.TraceText(r, cx));
            candidates.Add(Invariant.NameOf(id), cx.Rank);
            if (TreeStepDocument.Of(CounterexampleReplay.Of(cx.Schedule)) is { } tree)
                (treeSteps ??= new Dictionary<string, IReadOnlyList<TreeStepDocument>>()).Add(Invariant.NameOf(id), tree);
        }
        return new OrderingDocument(r.File.Replace('\\', '/'), r.Name, ExpectDocument.From(r.Program.Source.Expect), r.Verdict.Name, r.Met,
            found, traces, candidates, r.Explored, r.Schedules, r.States, r.Complete, r.Cancelled, CostsDocument.From(r.Costs))
        { Symmetry = r.SymmetryClasses, OmissionBound = r.OmissionBound, TreeSteps = treeSteps };
    }
}
