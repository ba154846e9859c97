using System.Globalization;
using System.Net;
using System.Text;
using Checker.Reports;
using Checker.Exploration;
using Checker.Language;
using Checker.Model;

namespace Checker.Cli;

/// <summary>
/// Draws a <see cref="SwimLaneDiagram"/> as inline SVG: lanes are columns (one per thread, CPU, device,
/// shadow and the allocator), steps are rows going down. The acting lane shows the op in a box coloured by
/// what it did (PTE change, CPU flush, secondary invalidation, notifier, lock, environment); other lanes show
/// markers (cached, dropped, became stale, used stale, frame allocated / freed / reused, violation), joined to
/// the op by a dotted line; a red bar runs down a cache lane while it holds a stale entry; the violating row is
/// shaded red. Lane widths follow their longest label, so 40-step counterexamples with long kernel op names
/// stay legible; elements carry <c>data-*</c> attributes (lane, step, mark) for tests and scripts.
/// </summary>
public static class SwimLaneSvg
{
    private const double CharWidth = 7.3;    // 12px monospace (DejaVu Sans Mono: 7.22)
    private const double RowHeight = 26;
    private const double HeaderHeight = 46;
    private const double Gutter = 48;
    private const double MinLane = 104;
    private const double MaxLane = 380;
    private const double Glyph = 14;         // a marker's shape plus its gap
    private const double MarkGap = 10;

    public static string Render(SwimLaneDiagram d)
    {
        int lanes = d.Lanes.Count;
        var widths = new double[lanes];
        for (int l = 0; l < lanes; l++)
        {
            double w = Math.Max(d.Lanes[l].Name.Length * CharWidth * 1.1, d.Lanes[l].Title.Length * CharWidth * 0.92);
            widths[l] = Math.Max(MinLane, Math.Min(MaxLane, w + 20));
        }
        foreach (var step in d.Steps)
        {
            double own = MarksWidth(step, step.Lane);
            // a long op is shortened to MaxLane; the markers beside it are never squeezed
            widths[step.Lane] = Math.Max(widths[step.Lane], Math.Min(MaxLane, step.Op.Length * CharWidth + 24) + (own > 0 ? own + 12 : 0));
            for (int l = 0; l < lanes; l++)
                if (l != step.Lane) widths[l] = Math.Max(widths[l], MarksWidth(step, l) + 16);
        }
        var x = new double[lanes + 1];
        x[0] = Gutter;
        for (int l = 0; l < lanes; l++)
        {
            widths[l] = Math.Ceiling(widths[l]);
            x[l + 1] = x[l] + widths[l];
        }
        bool footer = d.Steps.Count > 16;
        double width = x[lanes] + 8;
        double height = HeaderHeight + d.Steps.Count * RowHeight + (footer ? HeaderHeight : 8);

        var sb = new StringBuilder();
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"swimlanes\" width=\"").Append(N(width)).Append("\" height=\"")
          .Append(N(height)).Append("\" viewBox=\"0 0 ").Append(N(width)).Append(' ').Append(N(height))
          .Append("\" role=\"img\" data-steps=\"").Append(d.Steps.Count).Append("\" data-lanes=\"").Append(lanes).Append("\">\n");
        sb.Append("<title>").Append(E(d.Violation is { } v ? $"{v.Name} at step {v.Step + 1}" : "schedule")).Append("</title>\n");

        // lanes: background, centre line, header (and footer)
        for (int l = 0; l < lanes; l++)
        {
            var lane = d.Lanes[l];
            sb.Append("<g class=\"lane lane-").Append(KindClass(lane.Kind)).Append("\" data-lane=\"").Append(E(lane.Name))
              .Append("\" data-kind=\"").Append(KindClass(lane.Kind)).Append("\">");
            sb.Append("<rect class=\"lane-bg\" x=\"").Append(N(x[l])).Append("\" y=\"0\" width=\"").Append(N(widths[l]))
              .Append("\" height=\"").Append(N(height)).Append("\"/>");
            double mid = x[l] + widths[l] / 2;
            sb.Append("<line class=\"lane-axis\" x1=\"").Append(N(mid)).Append("\" y1=\"").Append(N(HeaderHeight)).Append("\" x2=\"")
              .Append(N(mid)).Append("\" y2=\"").Append(N(HeaderHeight + d.Steps.Count * RowHeight)).Append("\"/>");
            LaneHeader(sb, lane, mid, 0);
            if (footer) LaneHeader(sb, lane, mid, HeaderHeight + d.Steps.Count * RowHeight + 2);
            sb.Append("</g>\n");
        }

        // stale bars: a cache lane holds a stale entry after these steps
        for (int l = 0; l < lanes; l++)
        {
            var lane = d.Lanes[l];
            if (lane.Kind is not (LaneKind.Cpu or LaneKind.Device or LaneKind.Shadow)) continue;
            int from = -1;
            for (int k = 0; k <= d.Steps.Count; k++)
            {
                bool stale = k < d.Steps.Count && d.Steps[k].After.HoldsStale(CacheOf(lane));
                if (stale && from < 0) from = k;
                if (!stale && from >= 0)
                {
                    double y0 = HeaderHeight + from * RowHeight + RowHeight / 2, y1 = HeaderHeight + k * RowHeight;
                    sb.Append("<rect class=\"stale-bar\" data-lane=\"").Append(E(lane.Name)).Append("\" x=\"").Append(N(x[l] + 2))
                      .Append("\" y=\"").Append(N(y0)).Append("\" width=\"5\" height=\"").Append(N(y1 - y0)).Append("\"><title>")
                      .Append(E($"{lane.Name} holds a stale entry from step {from + 1}")).Append("</title></rect>\n");
                    from = -1;
                }
            }
        }

        foreach (var step in d.Steps) Row(sb, d, step, x, widths, width);
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static void LaneHeader(StringBuilder sb, SwimLane lane, double mid, double y)
    {
        sb.Append("<text class=\"lane-name\" x=\"").Append(N(mid)).Append("\" y=\"").Append(N(y + 19)).Append("\">")
          .Append(E(lane.Name)).Append("</text>");
        sb.Append("<text class=\"lane-title\" x=\"").Append(N(mid)).Append("\" y=\"").Append(N(y + 35)).Append("\">")
          .Append(E(lane.Title)).Append("</text>");
    }

    private static void Row(StringBuilder sb, SwimLaneDiagram d, SwimLaneStep step, double[] x, double[] widths, double width)
    {
        int k = step.Step - 1;
        double y = HeaderHeight + k * RowHeight;
        double mid = y + RowHeight / 2;
        sb.Append("<g class=\"step").Append(step.Violating ? " violating" : "").Append("\" data-step=\"").Append(step.Step)
          .Append("\" data-actor=\"").Append(E(step.Actor)).Append("\" data-violating=\"").Append(step.Violating ? "true" : "false").Append("\">");
        if (step.Violating)
            sb.Append("<rect class=\"violating-row\" x=\"0\" y=\"").Append(N(y)).Append("\" width=\"").Append(N(width)).Append("\" height=\"")
              .Append(N(RowHeight)).Append("\"/>");
        else if (k % 2 == 1)
            sb.Append("<rect class=\"odd-row\" x=\"0\" y=\"").Append(N(y)).Append("\" width=\"").Append(N(width)).Append("\" height=\"")
              .Append(N(RowHeight)).Append("\"/>");
        sb.Append("<text class=\"step-no\" x=\"").Append(N(Gutter - 8)).Append("\" y=\"").Append(N(mid + 4)).Append("\">")
          .Append(step.Violating ? "» " : "").Append(step.Step).Append("</text>");

        // connectors from the op to the markers it caused elsewhere
        double opMid = x[step.Lane] + widths[step.Lane] / 2;
        for (int l = 0; l < d.Lanes.Count; l++)
        {
            if (l == step.Lane || !HasMarks(step, l)) continue;
            double target = MarksStart(step, l, x, widths);
            double from = l > step.Lane ? x[step.Lane + 1] - 6 : x[step.Lane] + 6;
            double to = l > step.Lane ? target - 3 : target + MarksWidth(step, l) + 3;
            sb.Append("<line class=\"connector\" x1=\"").Append(N(from)).Append("\" y1=\"").Append(N(mid)).Append("\" x2=\"")
              .Append(N(to)).Append("\" y2=\"").Append(N(mid)).Append("\"/>");
        }

        // the op, in the acting lane
        string cls = "op " + OpClass(step);
        double own = MarksWidth(step, step.Lane);
        double bx = x[step.Lane] + 5, bw = widths[step.Lane] - 10 - (own > 0 ? own + 12 : 0);
        sb.Append("<g class=\"").Append(cls).Append("\" data-lane=\"").Append(E(d.Lanes[step.Lane].Name)).Append("\">");
        sb.Append("<title>").Append(E($"step {step.Step}: {step.Actor}: {step.Op}{Effects(step.Replay)}")).Append("</title>");
        sb.Append("<rect x=\"").Append(N(bx)).Append("\" y=\"").Append(N(y + 3)).Append("\" width=\"").Append(N(bw))
          .Append("\" height=\"").Append(N(RowHeight - 6)).Append("\" rx=\"4\"/>");
        sb.Append("<text class=\"op-text\" x=\"").Append(N(bx + bw / 2)).Append("\" y=\"").Append(N(mid + 4)).Append("\">")
          .Append(E(Fit(step.Op, bw - 10))).Append("</text></g>");

        // markers in every lane
        for (int l = 0; l < d.Lanes.Count; l++)
        {
            if (!HasMarks(step, l)) continue;
            double mx = MarksStart(step, l, x, widths);
            foreach (var m in step.Marks)
            {
                if (m.Lane != l) continue;
                string kind = MarkClass(m.Kind);
                sb.Append("<g class=\"mark mark-").Append(kind).Append("\" data-mark=\"").Append(kind).Append("\" data-lane=\"")
                  .Append(E(d.Lanes[l].Name)).Append("\"><title>").Append(E(MarkTitle(m, d.Lanes[l]))).Append("</title>");
                Shape(sb, m.Kind, mx + 5, mid);
                sb.Append("<text class=\"mark-text\" x=\"").Append(N(mx + Glyph)).Append("\" y=\"").Append(N(mid + 4)).Append("\">")
                  .Append(E(MarkText(m))).Append("</text></g>");
                mx += MarkWidth(m) + MarkGap;
            }
        }
        sb.Append("</g>\n");
    }

    /// <summary>Markers sit to the right of the op in the acting lane, centred elsewhere.</summary>
    private static double MarksStart(SwimLaneStep step, int lane, double[] x, double[] widths)
    {
        double w = MarksWidth(step, lane);
        if (lane == step.Lane) return x[lane + 1] - 6 - w;
        return x[lane] + Math.Max(10, (widths[lane] - w) / 2);
    }

    private static bool HasMarks(SwimLaneStep step, int lane)
    {
        foreach (var m in step.Marks) if (m.Lane == lane) return true;
        return false;
    }

    private static double MarksWidth(SwimLaneStep step, int lane)
    {
        double w = 0;
        int n = 0;
        foreach (var m in step.Marks)
        {
            if (m.Lane != lane) continue;
            w += MarkWidth(m);
            n++;
        }
        return n == 0 ? 0 : w + (n - 1) * MarkGap;
    }

    private static double MarkWidth(LaneMark m) => Glyph + MarkText(m).Length * CharWidth;

    private static string MarkText(LaneMark m) => m.Kind switch
    {
        MarkKind.Cached => m.Text,
        MarkKind.Dropped => "drop " + m.Text,
        MarkKind.Stale => "stale " + m.Text,
        MarkKind.UsedStale => m.Text,
        MarkKind.Fault => m.Text,
        MarkKind.Allocated => "alloc " + m.Text,
        MarkKind.Freed => "free " + m.Text,
        MarkKind.Reused => m.Text + " reused",
        MarkKind.RootCause => "root cause: " + m.Text,
        _ => m.Text,
    };

    private static string MarkTitle(LaneMark m, SwimLane lane) => m.Kind switch
    {
        MarkKind.Cached => $"{lane.Name} cached {m.Text}",
        MarkKind.Dropped => $"{lane.Name} dropped its entries for {m.Text}",
        MarkKind.Stale => $"{lane.Name}'s entries for {m.Text} became stale: more permissive than the PTE",
        MarkKind.UsedStale => $"{lane.Name}: {m.Text} — a stale translation used",
        MarkKind.Fault => $"{lane.Name}: the access faulted and did not happen ({m.Text})",
        MarkKind.Allocated => $"frames {m.Text} handed to the mm",
        MarkKind.Freed => $"frames {m.Text} freed",
        MarkKind.Reused => $"frames {m.Text} handed to another owner",
        MarkKind.Dirty => $"dirty data: {m.Text}", // §8
        MarkKind.RootCause => $"root cause: this CPU flush dropped the page from the CPU TLBs, but no secondary invalidation followed; the {m.Text}",
        _ => $"violation: {m.Text}",
    };

    /// <summary>A marker's shape centred at (cx, cy); the legend draws the same.</summary>
    public static void Shape(StringBuilder sb, MarkKind kind, double cx, double cy)
    {
        switch (kind)
        {
            case MarkKind.Cached:
                sb.Append("<circle cx=\"").Append(N(cx)).Append("\" cy=\"").Append(N(cy)).Append("\" r=\"4\"/>");
                break;
            case MarkKind.Dropped:
                sb.Append("<path d=\"M").Append(N(cx - 4)).Append(' ').Append(N(cy - 4)).Append("L").Append(N(cx + 4)).Append(' ').Append(N(cy + 4))
                  .Append("M").Append(N(cx + 4)).Append(' ').Append(N(cy - 4)).Append("L").Append(N(cx - 4)).Append(' ').Append(N(cy + 4)).Append("\"/>");
                break;
            case MarkKind.Stale:
                sb.Append("<path d=\"M").Append(N(cx)).Append(' ').Append(N(cy - 5)).Append("L").Append(N(cx + 5)).Append(' ').Append(N(cy + 4))
                  .Append("L").Append(N(cx - 5)).Append(' ').Append(N(cy + 4)).Append("Z\"/>");
                break;
            case MarkKind.UsedStale:
                sb.Append("<path d=\"M").Append(N(cx)).Append(' ').Append(N(cy - 5)).Append("L").Append(N(cx + 5)).Append(' ').Append(N(cy))
                  .Append("L").Append(N(cx)).Append(' ').Append(N(cy + 5)).Append("L").Append(N(cx - 5)).Append(' ').Append(N(cy)).Append("Z\"/>");
                break;
            case MarkKind.Fault:
                sb.Append("<circle cx=\"").Append(N(cx)).Append("\" cy=\"").Append(N(cy)).Append("\" r=\"4\"/>");
                break;
            case MarkKind.Violation:
                sb.Append("<circle cx=\"").Append(N(cx)).Append("\" cy=\"").Append(N(cy)).Append("\" r=\"5.5\"/>");
                sb.Append("<path class=\"bang\" d=\"M").Append(N(cx)).Append(' ').Append(N(cy - 3)).Append("L").Append(N(cx)).Append(' ').Append(N(cy + 1))
                  .Append("M").Append(N(cx)).Append(' ').Append(N(cy + 2.5)).Append("L").Append(N(cx)).Append(' ').Append(N(cy + 3.5)).Append("\"/>");
                break;
            default:
                sb.Append("<rect x=\"").Append(N(cx - 4)).Append("\" y=\"").Append(N(cy - 4)).Append("\" width=\"8\" height=\"8\"/>");
                break;
        }
    }

    /// <summary>The cache a cache lane shows (for stale bars).</summary>
    private static CacheUnit CacheOf(SwimLane lane) => lane.Kind switch
    {
        LaneKind.Cpu => new CacheUnit(CacheKind.Tlb, lane.Unit),
        LaneKind.Device => new CacheUnit(CacheKind.Iotlb, lane.Unit),
        _ => new CacheUnit(CacheKind.Spte, lane.Unit),
    };

    /// <summary>The op's colour: what the machine reported the step did (an environment actor's step is
    /// environment unless it did more).</summary>
    private static string OpClass(SwimLaneStep step)
    {
        var r = step.Replay;
        bool flush = r.Has<StepEffect.CpuFlush>(), invalidate = r.Has<StepEffect.SecondaryInvalidation>();
        string kind = flush && invalidate ? "op-flush op-invalidate"
            : invalidate ? "op-invalidate"
            : flush ? "op-flush"
            : r.Has<StepEffect.PteChanged>() ? "op-pte"
            : r.Has<StepEffect.Notifier>() ? "op-notifier"
            : r.Has<StepEffect.Lock>() ? "op-lock"
            : IsEnvironment(r.Op) ? "op-env"
            : "op-kernel";
        return step.Violating ? kind + " op-violating" : kind;
    }

    /// <summary>A generated actor's action, or an explicit cpu/device/shadow thread's op.</summary>
    private static bool IsEnvironment(ReplayOp op) =>
        op.Actor.IsGenerated || (op.Actor.Kind == ActorKind.Thread && op.Actor.UnitKind != ThreadKind.Kernel);

    private static string Effects(ReplayStep r)
    {
        var parts = new List<string>();
        if (r.Has<StepEffect.PteChanged>()) parts.Add("changes a PTE");
        if (r.Has<StepEffect.CpuFlush>()) parts.Add("flushes CPU TLBs");
        if (r.Has<StepEffect.SecondaryInvalidation>()) parts.Add("invalidates the secondary TLBs");
        if (r.Has<StepEffect.Notifier>()) parts.Add("mmu_notifier");
        return parts.Count == 0 ? "" : " — " + string.Join(", ", parts);
    }

    public static string KindClass(LaneKind kind) => kind switch
    {
        LaneKind.KernelThread => "kernel",
        LaneKind.EnvironmentThread => "env",
        LaneKind.Cpu => "cpu",
        LaneKind.Device => "device",
        LaneKind.Shadow => "shadow",
        _ => "allocator",
    };

    public static string MarkClass(MarkKind kind) => kind switch
    {
        MarkKind.Cached => "cached",
        MarkKind.Dropped => "dropped",
        MarkKind.Stale => "stale",
        MarkKind.UsedStale => "used-stale",
        MarkKind.Fault => "fault",
        MarkKind.Allocated => "allocated",
        MarkKind.Freed => "freed",
        MarkKind.Reused => "reused",
        MarkKind.RootCause => "root-cause",
        _ => "violation",
    };

    /// <summary>Shortens a label that would overflow its lane (the full text is in the element's title).</summary>
    private static string Fit(string text, double room)
    {
        int max = (int)(room / CharWidth);
        return text.Length <= max || max < 2 ? text : text[..(max - 1)] + "…";
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
