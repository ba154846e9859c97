using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Checker.Exploration;
using Checker.Language;
using Checker.Repair;
using Checker.Reports;
using Checker.Vocabulary;

namespace Checker.Cli;

/// <summary>
/// <c>checker repair FILE…</c> (issue 15): the cheapest edit of each ordering that makes it pass — where a secondary
/// invalidation or a CPU flush goes, which existing one moves, which run of PTE changes a start/end pair wraps —
/// printed as a unified diff of the <c>.order</c> file whose added lines say which counterexample they remove, with
/// the cost before and after and the proof ("proved within bound K, N states"). <c>--optimize</c> also drops the
/// secondary invalidations no schedule needs (the double notifications), proved by the same search. Exit 0 when every
/// file was repaired or already passes (whatever --optimize finds is a suggestion, not a failure), 2 when some file
/// has a violation no candidate edit removes or the search was not established, 1 for bad input or usage.
/// </summary>
public static class RepairCommand
{
    public static Command Build(CliContext ctx)
    {
        var paths = CliOptions.Paths("FILE", "files", ".order files, or directories: every .order file in a directory is repaired");
        var optimize = CliOptions.Flag("--optimize", "also remove the secondary invalidations no schedule needs (double notifications), proved by the same search");
        var all = CliOptions.Flag("--all", "list every repair of minimal cost, not only the first");
        var write = CliOptions.OutputFile("--write", "FILE", "write the repaired (and, with --optimize, optimised) ordering to FILE (one input file only)", "fixed.order");
        var json = CliOptions.Flag("--json", "print the results as one JSON document");
        var html = CliOptions.OutputFile("--html", "FILE", "write an HTML report: each diff beside the counterexample it removes", "repair.html");
        var bound = CliOptions.Integer("--bound", "K", ExplorationOptions.DefaultBound, 0, Limits.MaxBound,
            "every repair is proved by a complete exhaustive search with at most K environment actions, then the default strategy's pct schedules",
            "at most K environment actions per schedule; exhaustive search grows exponentially in K");
        var command = new Command("repair", "find the cheapest edit of an ordering that makes it pass: a unified diff, each added line with the counterexample it removes, proved")
        {
            paths,
        };
        command.Options.Add(optimize);
        command.Options.Add(all);
        command.Options.Add(write);
        command.Options.Add(json);
        command.Options.Add(html);
        command.Options.Add(bound);
        command.SetAction(parse => Run(ctx, parse.GetValue(paths) ?? [], new RepairOptions
        {
            Bound = (int)parse.GetValue(bound),
            Optimize = parse.GetValue(optimize),
            All = parse.GetValue(all),
            // issue 15: the verification's pct schedules on every core (the result is the same for any number of jobs)
            Exploration = new ExplorationOptions { Jobs = Environment.ProcessorCount },
        }, parse.GetValue(write), parse.GetValue(json), parse.GetValue(html)));
        return command;
    }

    private static int Run(CliContext ctx, string[] paths, RepairOptions options, string? writePath, bool json, string? htmlPath)
    {
        var (output, error) = (ctx.Output, ctx.Error);
        if (paths.Length == 0)
        {
            error.WriteLine("checker repair: error: no files given — usage: checker repair FILE… [--optimize] [--all] [--write FILE] [--json] [--html FILE] [--bound K]");
            return ExitCodes.BadInput;
        }
        var files = OrderingFiles.Expand(paths, error, out bool ok);
        var orderings = new List<(string File, Ordering Ordering)>();
        foreach (var file in files)
        {
            var parsed = OrderingFiles.Parse(file);
            foreach (var d in parsed.Diagnostics) error.WriteLine(d);
            if (parsed.Ok) orderings.Add((file, parsed.Ordering!));
            else ok = false;
        }
        if (!ok) return ExitCodes.BadInput;
        if (writePath is not null && orderings.Count != 1)
        {
            error.WriteLine($"checker repair: error: --write needs exactly one ordering, found {orderings.Count} — repair one file at a time with --write");
            return ExitCodes.BadInput;
        }

        var results = new List<RepairResult>();
        foreach (var (file, ordering) in orderings)
        {
            if (ctx.Cancel.IsCancellationRequested) break;
            results.Add(Repairer.Repair(ordering, file, options, ctx.Cancel));
        }
        if (json) output.Write(Json(results, options));
        else foreach (var r in results) Text(output, r, options);

        int code = ExitCodes.Ok;
        foreach (var r in results)
            if (r.Status is RepairStatus.NoRepair or RepairStatus.NotEstablished) code = ExitCodes.Violation;
        if (results.Count < orderings.Count) code = ExitCodes.Violation;

        if (writePath is not null && results.Count == 1)
        {
            var r = results[0];
            if (r.Status is RepairStatus.NoRepair or RepairStatus.NotEstablished)
                error.WriteLine($"checker repair: {writePath} not written: there is no proved repair of {r.File}");
            else
            {
                try
                {
                    AtomicFile.Write(writePath, OrderingPrinter.Print(r.Final));
                    if (!json) output.WriteLine($"wrote {writePath}");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"checker repair: error: could not write '{writePath}': {e.Message} — check the path and its permissions");
                    return ExitCodes.BadInput;
                }
            }
        }
        if (htmlPath is not null)
        {
            try
            {
                AtomicFile.Write(htmlPath, Html(results, options));
                if (!json) output.WriteLine($"wrote {htmlPath}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"checker repair: error: could not write '{htmlPath}': {e.Message} — check the path and its permissions");
                return ExitCodes.BadInput;
            }
        }
        return code;
    }

    /// <summary>The unified diff from the original to the repaired (or optimised) ordering.</summary>
    internal static string Diff(RepairResult r, Ordering edited) =>
        UnifiedDiff.Of(OrderingPrinter.Print(r.Original), OrderingPrinter.Print(edited), "a/" + Slash(r.File), "b/" + Slash(r.File));

    /// <summary>The proof line: "proved within bound K, N states (+ M pct schedules)".</summary>
    internal static string Proof(RepairResult r) =>
        $"proved within bound {r.Bound}, {N(r.States)} states" + (r.Schedules > 0 ? $" (+ {N(r.Schedules)} pct schedules)" : "");

    /// <summary>One line for <c>check</c>'s text: the repair in words, or null when none was found.</summary>
    internal static string? Suggestion(RepairResult r) => r.Fix is not { } fix ? null
        : "suggested repair: " + string.Join("; ", Described(r, fix)) + $" ({Proof(r)}; 'checker repair {Slash(r.File)}' prints the diff)";

    private static List<string> Described(RepairResult r, RepairFix fix)
    {
        var list = new List<string>();
        foreach (var e in fix.Edits) list.Add(e.Describe(r.Original));
        return list;
    }

    private static void Text(TextWriter o, RepairResult r, RepairOptions options)
    {
        o.WriteLine($"{r.File}: {r.Original.Name} (expect {r.Original.ExpectText})");
        for (int c = 0; c < r.Counterexamples.Count; c++)
        {
            var cx = r.Counterexamples[c];
            o.WriteLine($"  counterexample {c + 1}: {cx.Found.Violation.Name} at step {cx.Found.Violation.Step + 1}"
                + (cx.Round == 0 ? " on the original" : $" on candidate {cx.Round}") + $" ({cx.Found.Origin})");
        }
        switch (r.Status)
        {
            case RepairStatus.AlreadyPasses:
                o.WriteLine($"  already passes: no violation, {Proof(r)}; nothing to repair");
                break;
            case RepairStatus.Repaired:
                var fix = r.Fix!;
                foreach (var line in Described(r, fix)) o.WriteLine("  repair: " + line);
                o.Write(Indent(Diff(r, fix.Ordering)));
                o.WriteLine($"  cost: before {r.Before}; after {fix.Cost}");
                o.WriteLine($"  {Proof(r)}; {r.Rounds} round{(r.Rounds == 1 ? "" : "s")}, {r.Verified} candidate{(r.Verified == 1 ? "" : "s")} verified, {Seconds(r.Elapsed)}");
                if (options.All)
                {
                    if (r.Alternatives.Count == 0) o.WriteLine("  no other repair of the same cost");
                    foreach (var alt in r.Alternatives)
                        o.WriteLine("  also minimal: " + string.Join("; ", Described(r, alt)));
                }
                break;
            case RepairStatus.NoRepair:
                o.WriteLine($"  no repair: {r.Note} — neither an edit of the path nor a later helper or driver behaviour of the rule table removes it");
                if (r.Counterexamples.Count > 0) o.Write(StepTable.Render(r.Counterexamples[^1].Found, "    "));
                break;
            default:
                o.WriteLine($"  not established: {r.Note} — retry with a smaller --bound");
                break;
        }
        if (r.Optimize && r.Status is RepairStatus.AlreadyPasses or RepairStatus.Repaired)
        {
            if (r.Redundant.Count == 0) o.WriteLine($"  optimize: no secondary invalidation is redundant ({Proof(r)})");
            else
            {
                foreach (var e in r.Redundant) o.WriteLine("  redundant: " + e.Describe(r.Original));
                o.Write(Indent(Diff(r, r.Optimized!.Ordering)));
                o.WriteLine($"  optimized cost: {r.Optimized.Cost}; {Proof(r)}");
            }
        }
        o.WriteLine();
    }

    private static string Json(List<RepairResult> results, RepairOptions options)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("bound", options.Bound);
            w.WriteBoolean("optimize", options.Optimize);
            w.WriteStartArray("orderings");
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteString("file", Slash(r.File));
                w.WriteString("name", r.Original.Name);
                w.WriteString("expect", r.Original.ExpectText);
                w.WriteString("status", r.Status switch
                {
                    RepairStatus.AlreadyPasses => "passes",
                    RepairStatus.Repaired => "repaired",
                    RepairStatus.NoRepair => "no-repair",
                    _ => "not-established",
                });
                if (r.Note is { } note) w.WriteString("note", note);
                w.WriteStartArray("counterexamples");
                foreach (var cx in r.Counterexamples)
                {
                    w.WriteStartObject();
                    w.WriteString("invariant", cx.Found.Violation.Name);
                    w.WriteNumber("step", cx.Found.Violation.Step + 1);
                    w.WriteNumber("candidate", cx.Round);
                    w.WriteString("schedule", cx.Found.Schedule.ToString());
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                Cost(w, "costBefore", r.Before);
                if (r.Fix is { } fix)
                {
                    w.WritePropertyName("repair");
                    Fix(w, r, fix);
                    w.WriteStartArray("alternatives");
                    foreach (var alt in r.Alternatives) Fix(w, r, alt);
                    w.WriteEndArray();
                }
                if (r.Optimize)
                {
                    w.WriteStartArray("redundant");
                    foreach (var e in r.Redundant) w.WriteStringValue(e.Describe(r.Original));
                    w.WriteEndArray();
                    if (r.Optimized is { } opt)
                    {
                        w.WritePropertyName("optimized");
                        Fix(w, r, opt);
                    }
                }
                w.WriteNumber("states", r.States);
                w.WriteNumber("schedules", r.Schedules);
                w.WriteNumber("rounds", r.Rounds);
                w.WriteNumber("verified", r.Verified);
                w.WriteNumber("seconds", Math.Round(r.Elapsed.TotalSeconds, 3)); // issue 15: bench/repair-times.py reads it
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Fix(Utf8JsonWriter w, RepairResult r, RepairFix fix)
    {
        w.WriteStartObject();
        w.WriteStartArray("edits");
        for (int i = 0; i < fix.Edits.Count; i++)
        {
            var e = fix.Edits[i];
            w.WriteStartObject();
            w.WriteString("kind", e.Kind.ToString().ToLowerInvariant());
            if (e.Thread >= 0) w.WriteString("thread", r.Original.Threads[e.Thread].Name); // issue 15: header edits have none
            if (e.Rule is { } rule) w.WriteString("patch", ReleaseRuleInfo.Of(rule).Name);
            w.WriteString("text", e.Describe(r.Original));
            if (e.Line is { } line) w.WriteString("op", line.ToString());
            w.WriteString("removes", fix.Removes[i]);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        Cost(w, "cost", fix.Cost);
        w.WriteString("diff", Diff(r, fix.Ordering));
        w.WriteString("ordering", OrderingPrinter.Print(fix.Ordering));
        w.WriteEndObject();
    }

    private static void Cost(Utf8JsonWriter w, string name, RepairCost c)
    {
        w.WriteStartObject(name);
        w.WriteNumber("invalidations", c.Invalidations);
        w.WriteNumber("pagesDropped", c.PagesDropped);
        w.WriteNumber("cpuFlushes", c.CpuFlushes);
        w.WriteNumber("edits", c.Edits);
        w.WriteNumber("helperChanges", c.HelperChanges); // issue 15
        w.WriteNumber("driverChanges", c.DriverChanges);
        w.WriteEndObject();
    }

    private static string Html(List<RepairResult> results, RepairOptions options)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>checker repair</title><style>")
          .Append("body{font-family:sans-serif;margin:1em}pre{font-size:12px;background:#f6f6f6;padding:.5em;overflow:auto}")
          .Append("td{vertical-align:top;padding:0 .5em}.add{background:#dfd}.del{background:#fdd}</style></head><body>\n")
          .Append($"<h1>checker repair</h1><p>bound {options.Bound}{(options.Optimize ? ", --optimize" : "")}</p>\n");
        foreach (var r in results)
        {
            sb.Append($"<h2>{E(r.Original.Name)}</h2><p>{E(r.File)} — expect {E(r.Original.ExpectText)}</p>\n");
            var edited = r.Optimized?.Ordering ?? r.Fix?.Ordering;
            string status = r.Status switch
            {
                RepairStatus.AlreadyPasses => "already passes: " + Proof(r),
                RepairStatus.Repaired => $"repaired: cost before {r.Before}; after {r.Fix!.Cost}; {Proof(r)}",
                RepairStatus.NoRepair => "no repair: " + r.Note,
                _ => "not established: " + r.Note,
            };
            sb.Append($"<p>{E(status)}</p>\n<table><tr><th>diff</th><th>counterexample</th></tr><tr><td><pre>");
            if (edited is not null)
                foreach (var line in Diff(r, edited).Split('\n'))
                    sb.Append(line.StartsWith('+') && !line.StartsWith("+++") ? $"<span class=\"add\">{E(line)}</span>\n"
                        : line.StartsWith('-') && !line.StartsWith("---") ? $"<span class=\"del\">{E(line)}</span>\n" : E(line) + "\n");
            else sb.Append("(no change)");
            sb.Append("</pre></td><td>");
            foreach (var cx in r.Counterexamples)
                sb.Append($"<p>{E(cx.Found.Violation.Name)} at step {cx.Found.Violation.Step + 1}{(cx.Round == 0 ? " on the original" : $" on candidate {cx.Round}")}</p><pre>{E(StepTable.Render(cx.Found))}</pre>");
            sb.Append("</td></tr></table>\n");
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string Indent(string text)
    {
        var sb = new StringBuilder();
        foreach (var line in text.TrimEnd('\n').Split('\n')) sb.Append("    ").Append(line).Append('\n');
        return sb.ToString();
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string Slash(string path) => path.Replace('\\', '/');
}
