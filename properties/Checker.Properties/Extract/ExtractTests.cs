using Checker.Extract;
using Checker.Language;
using Checker.Vocabulary;
using Xunit;

namespace Checker.Properties.Extract;

/// <summary>checker extract (issue 17) on a hand-written fixture: the ops in order, structure comments, error
/// exits commented out, #if evaluated against a config, the pte_move peephole, caller context; the call → op
/// table against the checker's op table.</summary>
public class ExtractTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Extract", "Fixtures", "mini");

    private static Draft Draft(KernelConfig config, string? skip = "need_locks")
    {
        var index = SourceIndex.Build(Fixture, config);
        return new DraftExtractor(index, new ExtractOptions("move_page_tables", Skip: skip)).Extract(TreeVersion.Read(Fixture), "mini");
    }

    [Fact]
    public void Every_op_the_table_names_is_an_op_of_the_language()
    {
        foreach (var row in OpVocabulary.Rows)
            foreach (var op in row.Ops)
                Assert.True(OpInfo.TryGet(op, out _), $"{row.Call} -> '{op}' is not an op of the ordering language");
        foreach (var row in OpVocabulary.Rows)
            if (row.LoopExitOp is { } exit) Assert.True(OpInfo.TryGet(exit, out _), exit);
    }

    [Fact]
    public void The_fixture_draft_has_the_ops_in_source_order_with_caller_context_and_a_move()
    {
        var draft = Draft(KernelConfig.Empty);
        Assert.Equal(["mmap_write_lock", "invalidate_range_start", "ptl_lock", "flush_tlb_batched_pending", "pte_move", "flush_tlb_mm",
            "ptl_unlock", "invalidate_range_end", "mmap_write_unlock"], draft.Ops);
        Assert.Contains("kernel 6.12\n", draft.Text);
        Assert.Contains("ordering TODO\n", draft.Text);
        Assert.Contains("range [old_addr, old_end)", draft.Text);
        Assert.Contains("# -> move_ptes (mm/move.c:", draft.Text);
        Assert.Contains("# loop: for_each_page(old_addr, old_end)", draft.Text);
        Assert.Contains("# put_page ?", draft.Text);                 // error exits: commented out
        Assert.DoesNotContain("unrelated", draft.Text);               // reaches no op: not followed
        Assert.DoesNotContain("  lock i_mmap", draft.Text);           // --skip matched the branch condition
        Assert.Contains("caller context: sys_mini_mremap", draft.Text);
    }

    [Fact]
    public void An_if_follows_the_config()
    {
        var on = Draft(KernelConfig.Of(("CONFIG_MINI_FLUSH", "y")));
        Assert.Contains("flush_tlb_range", on.Ops);
        Assert.DoesNotContain("flush_tlb_mm", on.Ops);
        Assert.Contains("flush_tlb_range ?  # mm/move.c:", on.Text);
        Assert.Contains("range [old_end - len, old_end)", on.Text);
    }

    [Fact]
    public void Without_the_skip_the_conditional_lock_is_live()
    {
        var draft = Draft(KernelConfig.Empty, skip: null);
        Assert.Contains("lock", draft.Ops);
    }

    [Fact]
    public void The_draft_holes_are_diagnostics_with_positions()
    {
        var draft = Draft(KernelConfig.Empty);
        var result = OrderingParser.Parse(draft.Text, "draft.order");
        Assert.False(result.Ok);
        var text = string.Join("\n", result.Diagnostics);
        Assert.Contains("draft.order:", text);
        Assert.Contains("'?'", text);     // every range hole
        Assert.Contains("TODO", text);    // pages / expect
    }

    [Fact]
    public void Preprocessor_evaluates_if_expressions()
    {
        const string c = "#if defined(CONFIG_A) && !IS_ENABLED(CONFIG_B)\nint a(void) { x(); }\n#elif CONFIG_N > 3\nint b(void) { y(); }\n#else\nint c(void) { z(); }\n#endif\n";
        string Names(KernelConfig k) => string.Join(",", Preprocessor.Run(c, "f.c", k).Tokens.Where(t => t.Text.Length == 1 && t.IsIdent).Select(t => t.Text));
        Assert.Equal("a,x", Names(KernelConfig.Of(("CONFIG_A", "y"))));
        Assert.Equal("b,y", Names(KernelConfig.Of(("CONFIG_A", "y"), ("CONFIG_B", "m"), ("CONFIG_N", "4"))));
        Assert.Equal("c,z", Names(KernelConfig.Empty));
    }
}

public class ExtractAuditTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Extract", "Fixtures", "mini");

    [Fact]
    public void The_audit_lists_every_notifier_caller_and_the_flush_after_only_end()
    {
        var index = SourceIndex.Build(Fixture, KernelConfig.Empty);
        var rows = Audit.Rows(index);
        Assert.Equal(["move_page_tables", "wp_copy"], rows.Select(r => r.Function.Name).Order().ToArray());
        var text = Audit.Render(index, TreeVersion.Read(Fixture));
        Assert.Contains("mmu_notifier_invalidate_range_only_end@", text);
        Assert.Matches(@"wp_copy +mm/cow\.c:\d+ +nearest CPU flush after: flush_tlb_page@\d+", text);
        Assert.DoesNotContain("sys_mini_mremap", text); // calls no notifier API itself
    }
}
