using System.Linq;
using System.Text;
using Checker.Cli;
using Checker.Exploration;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Robustness;

/// <summary>
/// docs/bad-input.md: every class of bad input tried, and the first line the user sees for it — produced by
/// running each input, so the document cannot drift from the behaviour. Set CHECKER_UPDATE_GOLDEN=1 to
/// rewrite the document after an intended change.
/// </summary>
public class BadInputTableTests
{
    private sealed record Case(string Class, string Input, Func<string> Run);

    private static string Validate(string text)
    {
        var result = Checker.Language.OrderingParser.Parse(text, "bad.order");
        return result.Ok ? "(accepted)" : result.Diagnostics[0].ToString();
    }

    private static string Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CheckerCommand.Run(args, output, error);
        string text = error.ToString().Length > 0 ? error.ToString() : output.ToString();
        return CliRunner.Relative(text.Split('\n')[0].Replace(CatalogFiles.Directory + "/", "catalog/")) + $" (exit {exit})";
    }

    private static string MergeOneShard()
    {
        using var dir = new TempDirectory();
        string shard = dir.File("shard0.json");
        var output = new StringWriter();
        CheckerCommand.Run(["check", CatalogFiles.PathOf("fork-6.0"), "--shard", "0/2", "--schedules", "100", "--json"], output, TextWriter.Null);
        File.WriteAllText(shard, output.ToString());
        return Cli("merge", shard);
    }

    private static string Trace(Func<string, string> edit)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "counterexamples", "fork-6.0-only-end-no-ir.stale-secondary-after-flush.trace");
        var (trace, diagnostics) = TraceFile.Parse(edit(File.ReadAllText(path)), "fork.trace");
        if (trace is null) return diagnostics[0].ToString();
        return TraceFile.Replay(trace).Message;
    }

    private static List<Case> Cases() =>
    [
        new("unknown op (misspelt)", "`pte_clr 0`", () => Validate("thread t\n  pte_clr 0\n")),
        new("unknown header", "`kernal 6.0`", () => Validate("kernal 6.0\nthread t\n  flush_tlb_mm\n")),
        new("header after the first thread", "`kernel 6.0` below a thread", () => Validate("thread t\n  flush_tlb_mm\nkernel 6.0\n")),
        new("duplicate header", "two `kernel` lines", () => Validate("kernel 6.0\nkernel 6.6\nthread t\n  flush_tlb_mm\n")),
        new("missing argument", "`pte_clear`", () => Validate("thread t\n  pte_clear\n")),
        new("argument too many", "`pte_clear 0 1 2`", () => Validate("thread t\n  pte_clear 0 1 2\n")),
        new("argument of the wrong type", "`flush_tlb_range zero 2`", () => Validate("thread t\n  flush_tlb_range zero 2\n")),
        new("malformed hex", "`invalidate_range 0xzz 1`", () => Validate("thread t\n  invalidate_range 0xzz 1\n")),
        new("number too large", "`invalidate_range 99999999999 1`", () => Validate("thread t\n  invalidate_range 99999999999 1\n")),
        new("range outside the page set", "`pte_clear 0 9` with `pages 4`", () => Validate("pages 4\nthread t\n  pte_clear 0 9\n")),
        new("op the profile does not have", "`invalidate_range_only_end` under `kernel 6.6`", () => Validate("kernel 6.6\nthread t\n  invalidate_range_start 0 2\n  invalidate_range_only_end 0 2\n")),
        new("patch of an unknown rule", "`patch delayed-rmaps`", () => Validate("kernel 6.1\npatch delayed-rmaps\nthread t\n  flush_tlb_mm\n")),
        new("patch the release already has", "`patch delayed-rmap` under `kernel 6.2`", () => Validate("kernel 6.2\npatch delayed-rmap\nthread t\n  flush_tlb_mm\n")),
        new("patch of a rule the model never asks", "`patch munmap-downgrades-mmap-lock`", () => Validate("kernel 4.14\npatch munmap-downgrades-mmap-lock\nthread t\n  flush_tlb_mm\n")),
        new("duplicate patch", "two `patch delayed-rmap` lines", () => Validate("kernel 6.1\npatch delayed-rmap\npatch delayed-rmap\nthread t\n  flush_tlb_mm\n")),
        new("unlock without lock", "`ptl_unlock` alone", () => Validate("thread t\n  ptl_unlock\n")),
        new("lock taken twice", "`lock i_mmap` twice", () => Validate("thread t\n  lock i_mmap\n  lock i_mmap\n  unlock i_mmap\n")),
        new("lock held at the end", "`mmap_read_lock` never released", () => Validate("thread t\n  mmap_read_lock\n")),
        new("zap without a gather", "`zap_pte_range 0 2` alone", () => Validate("thread t\n  zap_pte_range 0 2\n")),
        new("4.14 finish without its range", "`tlb_finish_mmu` under `kernel 4.14`", () => Validate("kernel 4.14\nthread t\n  tlb_gather_mmu\n  tlb_finish_mmu\n")),
        new("misaligned move", "`pte_move 0 1 0x1800`", () => Validate("thread t\n  pte_move 0 1 0x1800\n")),
        new("duplicate thread name", "two `thread t`", () => Validate("thread t\n  flush_tlb_mm\nthread t\n  flush_tlb_mm\n")),
        new("no thread", "header lines only", () => Validate("kernel 6.0\n")),
        new("op outside a thread", "an indented op before any `thread`", () => Validate("  flush_tlb_mm\nthread t\n  flush_tlb_mm\n")),
        new("op not indented", "`flush_tlb_mm` at column 1", () => Validate("thread t\nflush_tlb_mm\n")),
        new("explicit actor that does not exist", "`thread d device 0` without a `secondary sva`", () => Validate("thread d device 0\n  read 0\n")),
        new("environment access in a kernel thread", "`write 0` in `thread t`", () => Validate("thread t\n  write 0\n")),
        new("kernel op in an environment thread", "`pte_clear 0` in `thread c cpu 0`", () => Validate("thread c cpu 0\n  pte_clear 0\n")),
        new("thread named like a generated actor", "`thread cpu0`", () => Validate("thread cpu0\n  flush_tlb_mm\n")),
        new("unknown invariant in expect", "`expect violation stale-secondary`", () => Validate("expect violation stale-secondary\nthread t\n  flush_tlb_mm\n")),
        new("conditional lock", "`if tlb_flush_pending ptl_lock`", () => Validate("thread t\n  if tlb_flush_pending ptl_lock\n")),
        new("too many pages", "`pages 65`", () => Validate("pages 65\nthread t\n  flush_tlb_mm\n")),
        new("too many threads", "17 threads", () => Validate(string.Concat(Enumerable.Range(0, 17).Select(t => $"thread t{t}\n  flush_tlb_mm\n")))),
        new("too many ops in a thread", "257 ops", () => Validate("thread t\n" + string.Concat(Enumerable.Repeat("  flush_tlb_mm\n", 257)))),
        new("file too large", "2 MiB of text", () => Validate(new string('#', 2 << 20))),
        new("arbitrary bytes", "`\\u0000\\u00ff garbage`", () => Validate("\u0000\u00ff garbage")),
        new("trace truncated", "a `.trace` without its `--- end` line", () => Trace(t => t.Replace("--- end\n", ""))),
        new("trace with an unknown actor", "`dev9: read 0` in the schedule", () => Trace(t => t.Replace("dev0: read 0", "dev9: read 0"))),
        new("trace whose ordering no longer parses", "a typo in the embedded ordering", () => Trace(t => t.Replace("\n  pte_wrprotect 0 2\n", "\n  pte_wrprotekt 0 2\n"))),
        new("trace whose ordering changed", "the embedded ordering edited since", () => Trace(t => t.Replace("  invalidate_range_only_end 0 2", "  invalidate_range_end 0 2"))),
        new("trace whose step was edited", "`step 5` instead of `step 9`", () => Trace(t => t.Replace("\nstep 9\n", "\nstep 5\n"))),
        new("trace with steps added", "2,000 `dev0: read 0` lines appended to the schedule", () => Trace(t => t.Replace("fork: mmap_write_unlock\n--- end", "fork: mmap_write_unlock\n" + string.Concat(Enumerable.Repeat("dev0: read 0\n", 2000)) + "--- end"))),
        new("missing file", "`checker check no-such.order`", () => Cli("check", "no-such.order")),
        new("unknown option", "`--frobnicate 1`", () => Cli("check", CatalogFiles.PathOf("fork-6.0"), "--frobnicate", "1")),
        new("option beyond its limit", "`--bound 17`", () => Cli("check", CatalogFiles.PathOf("fork-6.0"), "--bound", "17")),
        new("malformed option value", "`--shard 3/2`", () => Cli("check", CatalogFiles.PathOf("fork-6.0"), "--shard", "3/2")),
        new("trace directory that is a file", "`--save-trace` naming a saved `.trace`", () => Cli("check", CatalogFiles.PathOf("fork-6.0"), "--save-trace", Path.Combine(AppContext.BaseDirectory, "counterexamples", "fork-6.0-only-end-no-ir.stale-secondary-after-flush.trace"))),
        new("merge without every shard", "`checker merge` of shard 0/2 only", () => MergeOneShard()),
        new("unknown command", "`checker frobnicate`", () => Cli("frobnicate")),
    ];

    private static string Render()
    {
        var sb = new StringBuilder();
        sb.Append("# Bad input and what the user sees\n\n");
        sb.Append("Generated by `BadInputTableTests` from running each input (set `CHECKER_UPDATE_GOLDEN=1` to rewrite it).\n");
        sb.Append("Ordering problems are reported as `FILE:LINE:COL: error: what is wrong — what to do`, all of them at once,\n");
        sb.Append("and nothing runs (exit 1); here only the first diagnostic of each input is shown. Trace problems are either\n");
        sb.Append("a diagnostic or a replay that says where it diverged (exit 2). Usage problems exit 1. No input gives a stack\n");
        sb.Append("trace; a checker bug exits 3 with the command line and seed to report.\n\n");
        sb.Append("| class | input | what the user sees |\n|---|---|---|\n");
        foreach (var c in Cases())
            sb.Append("| ").Append(c.Class).Append(" | ").Append(c.Input).Append(" | `").Append(c.Run().Replace("|", "\\|").Replace("`", "'")).Append("` |\n");
        return sb.ToString();
    }

    [Fact]
    public void TheBadInputTableIsWhatTheCheckerSays()
    {
        string path = RepositoryFiles.PathOf("docs/bad-input.md");
        string fresh = Render();
        if (Environment.GetEnvironmentVariable("CHECKER_UPDATE_GOLDEN") is { Length: > 0 })
        {
            File.WriteAllText(path, fresh);
            return;
        }
        Assert.True(File.Exists(path), "docs/bad-input.md is missing: run the tests with CHECKER_UPDATE_GOLDEN=1");
        Assert.True(File.ReadAllText(path) == fresh, "docs/bad-input.md is out of date: run the tests with CHECKER_UPDATE_GOLDEN=1 and review the diff");
    }
}
