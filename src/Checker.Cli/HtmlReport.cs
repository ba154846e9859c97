using System.Globalization;
using System.Net;
using System.Text;
using Checker.Exploration;
using Checker.Invariants;
using Checker.Reports;
using Checker.Text;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Cli;

/// <summary>
/// <c>checker check … --html FILE</c>: one self-contained HTML file (inline CSS and SVG; no scripts, fonts or
/// anything fetched over the network). A summary table with every ordering's verdict, then, for each
/// ordering with a counterexample or an unmet expectation, each counterexample as a swim-lane diagram
/// (<see cref="SwimLaneSvg"/>) with the state table under it (PTE / CPU TLBs / IOTLBs / sPTEs / frame
/// owners at each step) and its replayable <c>.trace</c>. Like <c>--json</c>, it holds no timings: the same
/// run gives the same file.
/// </summary>
public static class HtmlReport
{
    public static string Write(IReadOnlyList<OrderingResult> results, ExplorationOptions options)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>checker report").Append(results.Count == 1 ? " — " + E(results[0].Name) : "").Append("</title>\n");
        sb.Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
        sb.Append("<header><h1>checker report</h1><p class=\"run\">").Append(E(CheckCommand.Describe(options))).Append("</p></header>\n");
        Legend(sb);
        Summary(sb, results);
        for (int i = 0; i < results.Count; i++)
        {
            var r = results[i];
            if (r.Counterexamples.Count == 0 && r.Met) continue;
            Ordering(sb, r, i);
        }
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Summary(StringBuilder sb, IReadOnlyList<OrderingResult> results)
    {
        sb.Append("<section class=\"summary\"><h2>").Append(E(VerdictTally.Of(results).ToString())).Append("</h2>\n<table class=\"verdicts\">\n")
          .Append("<tr><th>verdict</th><th>ordering</th><th>file</th><th>expect</th><th>found</th><th>explored</th><th>costs</th></tr>\n");
        for (int i = 0; i < results.Count; i++)
        {
            var r = results[i];
            bool linked = r.Counterexamples.Count > 0 || !r.Met;
            sb.Append("<tr class=\"").Append(Class(r.Verdict)).Append("\" data-verdict=\"").Append(r.Verdict.Word).Append("\"><td class=\"verdict\">")
              .Append(r.Verdict.Word).Append("</td><td>");
            if (linked) sb.Append("<a href=\"#o").Append(i).Append("\">").Append(E(r.Name)).Append("</a>");
            else sb.Append(E(r.Name));
            sb.Append("</td><td class=\"mono\">").Append(E(r.File.Replace('\\', '/'))).Append("</td><td class=\"mono\">").Append(E(r.ExpectText))
              .Append("</td><td class=\"mono\">").Append(E(Found(r))).Append("</td><td>").Append(E(ExplorationSummary.Of(r)))
              .Append("</td><td>").Append(E(r.Costs.ToString())).Append("</td></tr>\n");
        }
        sb.Append("</table></section>\n");
    }

    private static void Ordering(StringBuilder sb, OrderingResult r, int index)
    {
        sb.Append("<section class=\"ordering\" id=\"o").Append(index).Append("\" data-file=\"").Append(E(r.File.Replace('\\', '/')))
          .Append("\" data-verdict=\"").Append(r.Verdict.Word).Append("\">\n<h2>").Append(E(r.Name)).Append(" <span class=\"verdict ")
          .Append(Class(r.Verdict)).Append("\">").Append(r.Verdict.Word).Append("</span></h2>\n");
        sb.Append("<dl><dt>file</dt><dd class=\"mono\">").Append(E(r.File.Replace('\\', '/'))).Append("</dd><dt>expect</dt><dd class=\"mono\">")
          .Append(E(r.ExpectText)).Append("</dd><dt>found</dt><dd class=\"mono\">").Append(E(Found(r))).Append("</dd><dt>explored</dt><dd>")
          .Append(E(ExplorationSummary.Of(r))).Append("</dd><dt>costs</dt><dd>").Append(E(r.Costs.ToString()))
          .Append(" <span class=\"note\">(one canonical run: every translation warm, threads in file order)</span></dd></dl>\n");
        if (r.Verdict.Missed)
            sb.Append("<p class=\"unmet-note\">").Append(E(Verdict.MissedNote(r.ExpectText))).Append(".</p>\n");
        sb.Append("<details><summary>the ordering</summary><pre class=\"source\">")
          .Append(E(Checker.Language.OrderingPrinter.Print(r.Program.Source))).Append("</pre></details>\n");
        foreach (var (id, cx) in r.Counterexamples)
        {
            Counterexample(sb, r, cx, Expectation.Lists(r.Program.Source.Expect, id));
        }
        sb.Append("</section>\n");
    }

    /// <summary>One counterexample: heading, what broke, the swim lanes, the state table, the trace.</summary>
    public static void Counterexample(StringBuilder sb, OrderingResult r, Counterexample cx, bool expected)
    {
        var v = cx.Violation;
        var replay = CounterexampleReplay.Of(cx.Schedule);
        var diagram = SwimLaneDiagram.Of(replay);
        sb.Append("<section class=\"counterexample\" data-invariant=\"").Append(v.Name).Append("\" data-step=\"").Append(v.Step + 1).Append("\">\n");
        sb.Append("<h3><span class=\"invariant\">").Append(E(v.Name)).Append("</span> at step ").Append(v.Step + 1)
          .Append(expected ? " <span class=\"expected\">expected</span>" : " <span class=\"unexpected\">UNEXPECTED</span>").Append("</h3>\n");
        var inv = Invariant.Of(v.Id);
        sb.Append("<p class=\"description\">").Append(E(v.Description)).Append("</p>\n");
        if (RootCause.Of(replay) is { } cause)
            foreach (var line in cause.ToString().Split('\n')) sb.Append("<p class=\"root-cause\">").Append(E(line)).Append("</p>\n");
        sb.Append("<p class=\"rule\"><b>").Append(E(inv.Kind)).Append(":</b> ").Append(E(inv.Meaning)).Append(". <i>Kernel rule:</i> ")
          .Append(E(inv.KernelRule)).Append(".</p>\n");
        sb.Append("<p class=\"meta\">").Append(StepTable.Plural(cx.Schedule.Count, "step")).Append(", ")
          .Append(StepTable.Plural(cx.Schedule.EnvironmentActions, "environment action")).Append(", ")
          .Append(StepTable.Plural(cx.Schedule.ContextSwitches, "context switch")).Append("; found by ").Append(E(cx.Origin));
        if (v.CoViolations.Count > 0)
        {
            var names = new List<string>();
            foreach (var id in v.CoViolations) names.Add(Invariant.NameOf(id));
            sb.Append("; also violated at that step: ").Append(E(string.Join(", ", names)));
        }
        sb.Append("</p>\n<div class=\"diagram\">\n").Append(SwimLaneSvg.Render(diagram)).Append("</div>\n");
        StateTable(sb, diagram);
        sb.Append("<details><summary>replayable .trace (save it and run <code>checker replay FILE.trace</code>)</summary><pre class=\"trace\">")
          .Append(E(CheckCommand.TraceText(r, cx))).Append("</pre></details>\n</section>\n");
    }

    // issue 15: the row of the CPU flush the secondary invalidation belongs with
    private static bool HasRootCause(SwimLaneStep step)
    {
        foreach (var m in step.Marks)
            if (m.Kind == MarkKind.RootCause) return true;
        return false;
    }

    private static void StateTable(StringBuilder sb, SwimLaneDiagram d)
    {
        var p = d.Program;
        sb.Append("<table class=\"state\">\n<tr><th>step</th><th>actor</th><th>op</th><th>PTE</th>");
        for (int c = 0; c < p.Cpus; c++) sb.Append("<th>cpu").Append(c).Append(" TLB</th>");
        for (int dv = 0; dv < p.Devices.Length; dv++) sb.Append("<th>dev").Append(dv).Append(" IOTLB</th>");
        for (int h = 0; h < p.Shadows.Length; h++) sb.Append("<th>shadow").Append(h).Append(" sPTE</th>");
        var tree = d.Initial.Tree; // §7: the walk entries, the PUD/PMD entries, the table frames (no columns without the tree)
        if (tree is not null) TreeHeaders(sb, tree);
        sb.Append("<th>frames</th><th>mm</th></tr>\n");
        StateRow(sb, "0", "", "initial state", d.Initial, "initial");
        foreach (var step in d.Steps)
            StateRow(sb, step.Step.ToString(CultureInfo.InvariantCulture), step.Actor, step.Op, step.After, step.Violating ? "violating"
                : HasRootCause(step) ? "root-cause" : "");
        sb.Append("</table>\n<p class=\"notation\">fNw / fNr = frame N writable / read-only; - = PTE none; . = no entry; "
            + "<span class=\"stale\">red!</span> = stale (more permissive than the PTE); frames fN:mm/R = mapped with R references, "
            + "free, other (handed to another owner), c = copied by the kernel.</p>\n");
        if (tree is not null) sb.Append(TreeNotation);
    }

    // §7 the page-table tree (issue 12)

    /// <summary>The notation of the tree columns.</summary>
    private const string TreeNotation = "<p class=\"notation\">walk entries: W2&gt;tN = the PMD table, W1[r]&gt;tN = region r's PTE table, "
        + "W1k[j]&gt;tN = kernel region j's PTE table; <span class=\"stale\">red!</span> = stale (the live tree no longer links that "
        + "table). PUD/PMD: pud&gt;tN = the PUD points at PMD table tN, [r]&gt;tN / [r]huge / [r]inv / [r]- = region r's entry is a "
        + "PTE table, a huge page, invalid, none; mm1 pud = the second mm's PUD; k[j] = the kernel PMD table's entries. Tables: "
        + "tN:ROLE/mm/R = held by the mm with R references (a shared PMD table has 2), free, other (reused), in red when "
        + "the mm no longer holds it; ~ = unlinked. "
        + "GUP-fast: NAME:- idle, NAME:g1/g2 pP&gt;tN = inside its IRQs-off window, about to read table tN.</p>\n";

    private static void TreeHeaders(StringBuilder sb, TreeSnapshot tree)
    {
        for (int c = 0; c < tree.CpuWalks.Count; c++) sb.Append("<th>cpu").Append(c).Append(" walk</th>");
        for (int dv = 0; dv < tree.DeviceWalks.Count; dv++) sb.Append("<th>dev").Append(dv).Append(" walk</th>");
        sb.Append("<th>PUD/PMD</th><th>tables</th>");
        if (tree.Gups.Count > 0) sb.Append("<th>GUP-fast</th>");
    }

    private static void TreeCells(StringBuilder sb, StateSnapshot s)
    {
        if (s.Tree is not { } tree) return;
        foreach (var walks in tree.CpuWalks) WalkCells(sb, walks);
        foreach (var walks in tree.DeviceWalks) WalkCells(sb, walks);
        sb.Append("<td class=\"mono\">").Append(E(StateText.Pmd(s))).Append("</td><td class=\"mono\">");
        for (int k = 0; k < tree.Tables.Count; k++)
        {
            var t = tree.Tables[k];
            if (k > 0) sb.Append(' ');
            string text = StateText.Table(t);
            // a table the mm no longer holds (freed or reused) in red, like a stale entry (the CSS stays as it was)
            if (t.Owner != FrameOwner.Mm) sb.Append("<span class=\"stale\">").Append(E(text)).Append("</span>");
            else sb.Append(E(text));
        }
        sb.Append("</td>");
        if (tree.Gups.Count > 0) sb.Append("<td class=\"mono\">").Append(E(StateText.Gups(s))).Append("</td>");
    }

    /// <summary>One cache's walk entries; a stale one in red.</summary>
    private static void WalkCells(StringBuilder sb, EquatableArray<WalkCell> walks)
    {
        sb.Append("<td class=\"mono\">");
        if (walks.Count == 0) sb.Append('.');
        for (int k = 0; k < walks.Count; k++)
        {
            if (k > 0) sb.Append(' ');
            string text = StateText.Walk(walks[k]);
            if (walks[k].Stale) sb.Append("<span class=\"stale\">").Append(E(text)).Append("</span>");
            else sb.Append(E(text));
        }
        sb.Append("</td>");
    }

    private static void StateRow(StringBuilder sb, string step, string actor, string op, StateSnapshot s, string cls)
    {
        sb.Append("<tr").Append(cls.Length > 0 ? " class=\"" + cls + "\"" : "").Append(" data-step=\"").Append(step).Append("\"><td>")
          .Append(step).Append("</td><td>").Append(E(actor)).Append("</td><td class=\"mono\">").Append(E(op)).Append("</td>");
        sb.Append("<td class=\"mono\">").Append(E(StateText.Ptes(s))).Append("</td>");
        foreach (var t in s.Tlbs) Cells(sb, t);
        foreach (var t in s.Iotlbs) Cells(sb, t);
        foreach (var t in s.Sptes) Cells(sb, t);
        TreeCells(sb, s); // §7
        sb.Append("<td class=\"mono\">").Append(E(StateText.Frames(s))).Append("</td><td class=\"mono small\">").Append(E(StateText.Mm(s))).Append("</td></tr>\n");
    }

    /// <summary>One cache's cells; a stale one in red.</summary>
    private static void Cells(StringBuilder sb, EquatableArray<CacheCell> cells)
    {
        sb.Append("<td class=\"mono\">");
        for (int i = 0; i < cells.Count; i++)
        {
            if (i > 0) sb.Append(' ');
            string text = StateText.Cell(cells[i]);
            if (cells[i].Stale) sb.Append("<span class=\"stale\">").Append(E(text)).Append("</span>");
            else sb.Append(E(text));
        }
        sb.Append("</td>");
    }

    private static void Legend(StringBuilder sb)
    {
        sb.Append("<section class=\"legend\"><h2>How to read the swim lanes</h2>\n<p>One column per actor — each kernel thread, each CPU "
            + "(its TLB), each device (its IOTLB), each shadow MMU (its sPTEs) and the allocator (frames) — and one row per step, top to "
            + "bottom. The acting lane shows the op in kernel vocabulary; markers show what the step did to the other lanes.</p>\n");
        sb.Append("<svg class=\"legend-svg\" width=\"1100\" height=\"58\" viewBox=\"0 0 1100 58\" role=\"img\"><title>legend</title>");
        string[] ops = ["op-pte", "op-flush", "op-invalidate", "op-flush op-invalidate", "op-notifier", "op-lock", "op-env", "op-kernel"];
        string[] opNames = ["PTE change", "CPU flush", "secondary invalidation", "flush + invalidation", "mmu_notifier call", "lock", "environment", "other op"];
        double x = 4;
        for (int i = 0; i < ops.Length; i++)
        {
            double w = opNames[i].Length * 7.3 + 16;
            sb.Append("<g class=\"op ").Append(ops[i]).Append("\"><rect x=\"").Append(N(x)).Append("\" y=\"3\" width=\"").Append(N(w))
              .Append("\" height=\"20\" rx=\"4\"/><text class=\"op-text\" x=\"").Append(N(x + w / 2)).Append("\" y=\"17\">").Append(opNames[i])
              .Append("</text></g>");
            x += w + 8;
        }
        var kinds = new[] { MarkKind.Cached, MarkKind.Dropped, MarkKind.Stale, MarkKind.UsedStale, MarkKind.Fault, MarkKind.Allocated, MarkKind.Freed, MarkKind.Reused, MarkKind.Violation, MarkKind.RootCause };
        string[] markNames = ["cached", "dropped", "became stale", "stale translation used", "access faulted", "frame allocated", "frame freed", "frame reused", "violation", "root cause"];
        x = 4;
        for (int i = 0; i < kinds.Length; i++)
        {
            sb.Append("<g class=\"mark mark-").Append(SwimLaneSvg.MarkClass(kinds[i])).Append("\">");
            SwimLaneSvg.Shape(sb, kinds[i], x + 5, 42);
            sb.Append("<text class=\"mark-text\" x=\"").Append(N(x + 14)).Append("\" y=\"46\">").Append(markNames[i]).Append("</text></g>");
            x += markNames[i].Length * 7.3 + 30;
        }
        sb.Append("</svg>\n<p>A red bar down a cache lane: it holds a stale entry. The violating row is shaded red.</p></section>\n");
    }

    /// <summary>The verdict's CSS class: met (green) when it stands, cancelled (grey) when it was cut short,
    /// unmet (red) when it contradicts or does not establish the expectation.</summary>
    private static string Class(Verdict v) => v.Established ? "met" : v.Kind == VerdictKind.Cancelled ? "cancelled" : "unmet";

    private static string Found(OrderingResult r)
    {
        var found = new List<string>();
        foreach (var id in r.Found) found.Add(Invariant.NameOf(id));
        return found.Count == 0 ? "-" : string.Join(" ", found);
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private const string Css = """
        :root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --red: #dc2626; }
        body { font-family: system-ui, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; color: var(--ink); margin: 24px; line-height: 1.4; }
        h1 { margin: 0 0 4px; font-size: 22px; } h2 { font-size: 18px; margin: 28px 0 8px; } h3 { font-size: 15px; margin: 22px 0 4px; }
        .run, .note, .meta, .notation { color: var(--muted); font-size: 13px; }
        .mono, pre, code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
        .small { font-size: 11px; color: var(--muted); }
        table { border-collapse: collapse; font-size: 13px; }
        th, td { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; white-space: nowrap; }
        th { color: var(--muted); font-weight: 600; }
        table.verdicts td { white-space: normal; }
        tr.unmet td.verdict, .verdict.unmet, .unexpected { color: var(--red); font-weight: 700; }
        tr.met td.verdict, .verdict.met, .expected { color: #047857; font-weight: 600; }
        tr.cancelled td.verdict, .verdict.cancelled { color: var(--muted); font-weight: 700; }
        .verdict { font-size: 13px; }
        .invariant { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; color: var(--red); }
        section.ordering { border-top: 2px solid var(--line); margin-top: 28px; }
        dl { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; font-size: 13px; margin: 6px 0; }
        dt { color: var(--muted); } dd { margin: 0; }
        .description { font-weight: 600; margin: 4px 0; }
        .root-cause { margin: 2px 0; color: #7a2e00; }
        .rule { font-size: 13px; margin: 4px 0; max-width: 1100px; }
        .diagram { overflow-x: auto; margin: 10px 0; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
        table.state tr.violating td { background: #fee2e2; }
        table.state tr.root-cause td { background: #ede9fe; }
        table.state tr.initial td { color: var(--muted); }
        span.stale { color: #fff; background: var(--red); border-radius: 3px; padding: 0 2px; font-weight: 700; }
        pre.source, pre.trace { background: #f9fafb; border: 1px solid var(--line); padding: 8px; overflow-x: auto; }
        .unmet-note { color: var(--red); font-weight: 600; }
        svg text { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; fill: var(--ink); }
        svg .lane-bg { fill: #ffffff; stroke: var(--line); }
        svg .lane-kernel .lane-bg, svg .lane-env .lane-bg { fill: #f8fafc; }
        svg .lane-axis { stroke: #d1d5db; stroke-dasharray: 2 4; }
        svg .lane-name { font-weight: 700; font-size: 13px; text-anchor: middle; }
        svg .lane-title { font-size: 11px; fill: var(--muted); text-anchor: middle; }
        svg .odd-row { fill: #000; fill-opacity: 0.025; }
        svg .violating-row { fill: #fee2e2; stroke: var(--red); stroke-width: 1; }
        svg .step-no { text-anchor: end; fill: var(--muted); }
        svg .step.violating .step-no { fill: var(--red); font-weight: 700; }
        svg .connector { stroke: #9ca3af; stroke-dasharray: 1 3; }
        svg .op rect { stroke: #94a3b8; stroke-width: 1; fill: #ffffff; }
        svg .op-text { text-anchor: middle; }
        svg .op-pte rect { fill: #ffedd5; stroke: #f97316; }
        svg .op-flush rect { fill: #d1fae5; stroke: #059669; }
        svg .op-invalidate rect { fill: #ede9fe; stroke: #7c3aed; }
        svg .op-flush.op-invalidate rect { fill: #d1fae5; stroke: #7c3aed; stroke-width: 2.5; }
        svg .op-notifier rect { fill: #dbeafe; stroke: #2563eb; }
        svg .op-lock rect { fill: #f3f4f6; stroke: #9ca3af; }
        svg .op-env rect { fill: #ffffff; stroke: #64748b; stroke-dasharray: 3 2; }
        svg .op-violating rect { stroke: var(--red); stroke-width: 2.5; }
        svg .stale-bar { fill: var(--red); fill-opacity: 0.55; }
        svg .mark-cached circle { fill: #10b981; }
        svg .mark-dropped path { stroke: #6b7280; stroke-width: 2; }
        svg .mark-stale path { fill: #f59e0b; stroke: #b45309; }
        svg .mark-stale .mark-text { fill: #b45309; font-weight: 700; }
        svg .mark-used-stale path { fill: var(--red); }
        svg .mark-used-stale .mark-text { fill: var(--red); font-weight: 700; }
        svg .mark-fault circle { fill: none; stroke: #b45309; stroke-width: 2; }
        svg .mark-allocated rect { fill: #3b82f6; }
        svg .mark-freed rect { fill: #374151; }
        svg .mark-reused rect { fill: #a855f7; }
        svg .mark-violation circle { fill: var(--red); }
        svg .mark-violation .bang { stroke: #fff; stroke-width: 2; }
        svg .mark-root-cause rect { fill: #7c3aed; }
        svg .mark-root-cause .mark-text { fill: #7c3aed; font-weight: 700; }
        svg .mark-violation .mark-text { fill: var(--red); font-weight: 700; }

        """;
}
