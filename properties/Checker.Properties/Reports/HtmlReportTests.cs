using System.Text.RegularExpressions;
using Checker.Exploration;
using Checker.Model;
using Checker.Properties.Support;
using Checker.Reports;
using Xunit;

namespace Checker.Properties.Reports;

public class HtmlReportTests
{
    /// <summary>mremap before eb66ae030829 with 12 lock/unlock pairs in front of the truncation, two CPUs, a
    /// device and a shadow: its minimal use-after-free is exactly 40 steps over 7 lanes.</summary>
    public static string FortyStepOrdering()
    {
        var pad = new System.Text.StringBuilder();
        for (int i = 0; i < 12; i++) pad.Append("  lock a\n  unlock a\n");
        return $"""
            ordering mremap before eb66ae030829, padded to 40 steps, with more lanes
            kernel 4.14
            pages 4
            unmapped 2 4
            cpus 2
            secondary sva exact
            secondary shadow interval
            expect violation use-after-free

            thread mremap
              mmap_write_lock
              invalidate_range_start 0 2
              ptl_lock
              pte_move 0 2 2
              ptl_unlock
              flush_tlb_range 0 2
              invalidate_range_end 0 2
              mmap_write_unlock

            thread truncate
            {pad}  lock i_mmap
              tlb_gather_mmu
              invalidate_range_start 2 4
              ptl_lock
              flush_tlb_batched_pending
              zap_pte_range 2 4
              ptl_unlock
              invalidate_range_end 2 4
              tlb_finish_mmu 2 4
              unlock i_mmap

            """;
    }

    /// <summary>Measures the rendered layout: every lane has a size, every label stays inside its lane (and an
    /// op's text inside its box), and no two labels of one row overlap. Writes the problems, or "ok", to
    /// body[data-layout]; --dump-dom shows the result.</summary>
    private const string LayoutCheck = """
        <script>
        (function () {
          var problems = [];
          function inside(b, r) { return b.x >= r.x - 0.5 && b.x + b.width <= r.x + r.width + 0.5; }
          function overlap(a, b) { return a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5; }
          var svgs = document.querySelectorAll('svg.swimlanes');
          svgs.forEach(function (svg, si) {
            var lanes = {};
            svg.querySelectorAll('g.lane').forEach(function (g) {
              var r = g.querySelector('rect.lane-bg').getBBox();
              if (r.width <= 0 || r.height <= 0) problems.push('diagram ' + si + ': lane ' + g.dataset.lane + ' has no size');
              lanes[g.dataset.lane] = r;
              g.querySelectorAll('text').forEach(function (t) {
                if (!inside(t.getBBox(), r)) problems.push('diagram ' + si + ': header "' + t.textContent + '" overflows its lane');
              });
            });
            svg.querySelectorAll('g.step').forEach(function (row) {
              var boxes = [];
              row.querySelectorAll('g.op, g.mark').forEach(function (g) {
                var lane = lanes[g.dataset.lane];
                var t = g.querySelector('text').getBBox();
                if (!lane || !inside(t, lane)) problems.push('diagram ' + si + ' step ' + row.dataset.step + ': "' + g.querySelector('text').textContent + '" overflows lane ' + g.dataset.lane);
                if (g.classList.contains('op')) {
                  var box = g.querySelector('rect').getBBox();
                  if (!inside(t, box)) problems.push('diagram ' + si + ' step ' + row.dataset.step + ': op text overflows its box');
                  boxes.push(box);
                } else boxes.push(t);
              });
              for (var i = 0; i < boxes.length; i++)
                for (var j = i + 1; j < boxes.length; j++)
                  if (overlap(boxes[i], boxes[j])) problems.push('diagram ' + si + ' step ' + row.dataset.step + ': labels overlap');
            });
          });
          document.body.setAttribute('data-layout', problems.length ? problems.join(' | ') : 'ok');
          document.body.setAttribute('data-diagrams', String(svgs.length));
        })();
        </script>
        """;

    [ChromiumFact]
    public void TheReportRendersInHeadlessChromiumWithEveryLaneAndTheViolatingStep()
    {
        Chromium.Require();
        using var dir = new TempDirectory();
        string longOrder = dir.File("forty-steps.order");
        File.WriteAllText(longOrder, FortyStepOrdering());
        string html = dir.File("report.html");
        string[] files = [CatalogFiles.PathOf("fork-6.0-only-end-no-ir"), CatalogFiles.PathOf("mremap-4.14-pre-eb66ae030829"), longOrder];
        var (exit, _, err) = CliRunner.Run(["check", .. files, "--strategy", "exhaustive", "--bound", "2", "--html", html]);
        Assert.True(exit == 0, err);

        string text = File.ReadAllText(html);
        string checkedCopy = dir.File("report-with-layout-check.html");
        File.WriteAllText(checkedCopy, text.Replace("</body>", LayoutCheck + "</body>"));
        string dom = Chromium.DumpDom(checkedCopy);

        var layout = Regex.Match(dom, "data-layout=\"([^\"]*)\"");
        Assert.True(layout.Success, "the layout check did not run in chromium");
        Assert.Equal("ok", System.Net.WebUtility.HtmlDecode(layout.Groups[1].Value));
        Assert.Contains("data-diagrams=\"3\"", dom);
        var sections = Regex.Split(dom, "<section class=\"counterexample\"")[1..];
        Assert.Equal(3, sections.Length);
        var expected = new (string File, string Invariant, int Step, string[] Lanes)[]
        {
            (files[0], "stale-secondary-after-flush", 9, ["fork", "dev0", "alloc"]),
            (files[1], "use-after-free", 16, ["mremap", "truncate", "cpu0", "alloc"]),
            (files[2], "use-after-free", 40, ["mremap", "truncate", "cpu0", "cpu1", "dev0", "shadow0", "alloc"]),
        };
        for (int i = 0; i < 3; i++)
        {
            var (file, invariant, step, lanes) = expected[i];
            string section = sections[i];
            Assert.StartsWith($" data-invariant=\"{invariant}\" data-step=\"{step}\"", section);
            // the lanes are the diagram's: one per thread, CPU, device, shadow and the allocator
            var diagram = SwimLaneDiagram.Of(Counterexample(file, invariant).Schedule);
            var names = new List<string>();
            foreach (var lane in diagram.Lanes) names.Add(lane.Name);
            Assert.Equal(lanes, names);
            foreach (var lane in lanes)
            {
                Assert.Matches($"<g class=\"lane lane-[a-z]+\" data-lane=\"{lane}\"", section);
                Assert.Contains($">{lane}</text>", section);
            }
            Assert.Equal(step, Regex.Matches(section, "<g class=\"step[^\"]*\" data-step=\"\\d+\"").Count);
            var violating = Regex.Matches(section, "<g class=\"step violating\" data-step=\"(\\d+)\"[^>]*data-violating=\"true\"");
            Assert.Single(violating);
            Assert.Equal(step.ToString(), violating[0].Groups[1].Value);
            Assert.Contains("class=\"mark mark-violation\"", section);
            Assert.Matches($"<tr class=\"violating\" data-step=\"{step}\">", section);
        }
        // where the translation went stale and where it was used
        Assert.Matches("data-mark=\"stale\" data-lane=\"dev0\"", sections[0]);
        Assert.Matches("data-mark=\"used-stale\" data-lane=\"cpu0\"", sections[1]);
        Assert.Matches("data-mark=\"freed\" data-lane=\"alloc\"", sections[1]);

        if (Golden.Updating) Screenshot(dir);
    }

    /// <summary>docs/swimlanes.png, shown in the README: the report of reclaim's deferred flush on 6.6 x86 with
    /// Intel SVM before e7ad6c2a4b1a, whose (0, ~0) invalidation drops nothing.</summary>
    private static void Screenshot(TempDirectory dir)
    {
        string html = dir.File("reclaim.html");
        var (exit, _, err) = CliRunner.Run("check", CatalogFiles.PathOf("reclaim-6.6-x86-intel"), "--strategy", "exhaustive", "--html", html);
        Assert.True(exit == 0, err);
        File.WriteAllText(html, CliRunner.Relative(File.ReadAllText(html)));
        Chromium.Screenshot(html, Path.Combine(Golden.RepositoryRoot, "docs", "swimlanes.png"), 1280, 1660);
    }

    [Fact]
    public void TheReportIsSelfContainedAndTheSameForTheSameRun()
    {
        using var dir = new TempDirectory();
        string a = dir.File("a.html"), b = dir.File("b.html");
        string file = CatalogFiles.PathOf("mremap-4.14-pre-eb66ae030829");
        Assert.Equal(0, CliRunner.Run("check", file, "--strategy", "exhaustive", "--html", a).Exit);
        Assert.Equal(0, CliRunner.Run("check", file, "--strategy", "exhaustive", "--html", b, "--jobs", "2").Exit);
        string html = File.ReadAllText(a);
        Assert.Equal(html, File.ReadAllText(b));
        Assert.StartsWith("<!DOCTYPE html>", html);
        foreach (var outside in new[] { "<script", "<link", " src=", "url(", "@import", "@font-face" })
            Assert.DoesNotContain(outside, html);
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"swimlanes\"", html);
        Assert.Contains("<table class=\"state\">", html);
        Assert.Contains("--- schedule", html); // the replayable trace
    }

    [Fact]
    public void TheReportNamesTheRootCauseOfAStaleSecondary()
    {
        using var dir = new TempDirectory();
        string html = dir.File("r.html");
        Assert.Equal(0, CliRunner.Run("check", CatalogFiles.PathOf("fork-6.0-only-end-no-ir"), "--strategy", "exhaustive", "--html", html).Exit);
        string text = File.ReadAllText(html);
        Assert.Contains("<p class=\"root-cause\">root cause: fork&#39;s CPU flush at step 8 (flush_tlb_mm)", text.Replace("&#x27;", "&#39;"));
        Assert.Contains("<p class=\"root-cause\">where the fix goes: a secondary invalidation covering page 0 next to step 8", text);
    }

    [Fact]
    public void TheReportShowsTheSameVerdictAsTheText()
    {
        using var dir = new TempDirectory();
        string html = dir.File("r.html");
        var (exit, output, _) = CliRunner.Run("check", CatalogFiles.PathOf("mremap-6.6"), "--strategy", "exhaustive", "--states", "20", "--html", html);
        Assert.Equal(2, exit);
        Assert.Contains("UNPROVED", output);
        Assert.Contains("data-verdict=\"UNPROVED\"", File.ReadAllText(html));
        Assert.DoesNotContain("UNMET", File.ReadAllText(html));
    }

    [Fact]
    public void ACancelledOrderingIsCountedAsCancelledNotUnmet()
    {
        // Ctrl-C before the search: neither expectation is established, but nothing contradicts either — and
        // the one that expects a violation did not miss it: nothing was explored
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var options = new ExplorationOptions { Strategy = StrategyKind.Auto, Schedules = 0 };
        var results = new List<OrderingResult>();
        foreach (var name in new[] { "mremap-6.6", "mremap-6.0" })
            results.Add(Explorer.Check(CompiledOrdering.Compile(CatalogFiles.Parse(name)), name + ".order", options, cts.Token));
        string html = Checker.Cli.HtmlReport.Write(results, options);
        Assert.Contains("<h2>2 orderings: 0 met, 0 unmet, 2 cancelled</h2>", html);
        Assert.Equal(4, Regex.Count(html, "data-verdict=\"CANCELLED\"")); // each row and each section
        Assert.DoesNotContain("class=\"unmet\"", html);
        Assert.DoesNotContain("no schedule violated anything", html);
    }

    [Fact]
    public void AReportThatCannotBeWrittenIsAnErrorNotACrash()
    {
        // a directory that exists but cannot be written as a file: writing fails after the run
        var (exit, output, error) = CliRunner.Run("check", CatalogFiles.PathOf("fork-6.0-only-end-no-ir"), "--html", "/proc/report.html");
        Assert.Contains("met", output); // the results stand
        Assert.Contains("checker check: error: could not write the HTML report to '/proc/report.html'", error);
        Assert.DoesNotContain("internal error", error);
        Assert.Equal(1, exit);
    }

    [Fact]
    public void AnHtmlFileInAMissingDirectoryIsAUsageError()
    {
        var (exit, output, error) = CliRunner.Run("check", CatalogFiles.PathOf("fork-6.0"), "--html", "/nonexistent-dir/report.html");
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("--html needs a file in an existing directory", error);
    }

    private static Counterexample Counterexample(string file, string invariant)
    {
        var program = CompiledOrdering.Compile(Models.Parse(File.ReadAllText(file), file));
        var result = Explorer.Check(program, file, new ExplorationOptions { Strategy = StrategyKind.Exhaustive, Bound = 2 });
        foreach (var (id, cx) in result.Counterexamples)
            if (Checker.Vocabulary.Invariant.NameOf(id) == invariant) return cx;
        throw new InvalidOperationException($"{file} has no {invariant} counterexample");
    }
}
