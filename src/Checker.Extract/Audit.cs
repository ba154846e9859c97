using System.Text;

namespace Checker.Extract;

/// <summary>
/// <c>checker extract --audit</c>: every function in mm/ and kernel/ that calls the notifier or
/// secondary-invalidation API (<see cref="OpVocabulary.NotifierApi"/>), with the notifier calls, CPU flushes and
/// PTE changes of its body in source order (callees not followed; ops on exit paths marked); then every
/// <c>invalidate_range_only_end</c> with the nearest CPU flush after it in the same function (or, when there is
/// none after, the nearest before). This is the audit "all the sites that 0f10851ea475 touched", done by the tool.
/// </summary>
public static class Audit
{
    private static readonly HashSet<string> Kinds = new(StringComparer.Ordinal)
    {
        "invalidate_range_start", "invalidate_range_end", "invalidate_range_only_end", "invalidate_range", "arch_invalidate_secondary_tlbs",
        "change_pte", "release", "pte_clear", "pte_wrprotect", "pte_install", "ptep_clear_flush", "ptep_clear_flush_notify",
        "flush_tlb_range", "flush_tlb_page", "flush_tlb_mm", "set_tlb_ubc_flush_pending", "try_to_unmap_flush", "tlb_flush_mmu",
        "tlb_finish_mmu", "change_protection", "zap_pte_range", "ptep_set_access_flags",
    };

    private static bool IsCpuFlush(string op) => op is "flush_tlb_range" or "flush_tlb_page" or "flush_tlb_mm" or "ptep_clear_flush"
        or "ptep_clear_flush_notify" or "try_to_unmap_flush" or "tlb_flush_mmu" or "tlb_finish_mmu";

    public sealed record Row(FunctionDef Function, List<(int Line, string Call, string? Op, bool Dead)> Calls);

    public static List<Row> Rows(SourceIndex index)
    {
        var api = new HashSet<string>(OpVocabulary.NotifierApi, StringComparer.Ordinal);
        var rows = new List<Row>();
        foreach (var f in index.AllFunctions)
        {
            if (!(f.File.StartsWith("mm/", StringComparison.Ordinal) || f.File.StartsWith("kernel/", StringComparison.Ordinal))) continue;
            bool uses = false;
            for (int k = f.Open; k < f.Close && !uses; k++)
                if (f.Tokens[k].IsIdent && api.Contains(f.Tokens[k].Text) && f.Tokens[k + 1].Text == "(") uses = true;
            if (!uses) continue;
            var calls = new List<(int, string, string?, bool)>();
            Collect(f.Body, false, calls, api);
            rows.Add(new Row(f, calls));
        }
        rows.Sort((a, b) => string.CompareOrdinal(a.Function.Where, b.Function.Where) switch
        {
            0 => 0,
            var c => string.CompareOrdinal(a.Function.File, b.Function.File) != 0 ? string.CompareOrdinal(a.Function.File, b.Function.File) : a.Function.Line.CompareTo(b.Function.Line),
        });
        return rows;
    }

    private static void Collect(Stmt s, bool dead, List<(int, string, string?, bool)> into, HashSet<string> api)
    {
        switch (s)
        {
            case BlockStmt b:
            {
                bool terminated = false, exit = dead;
                foreach (var c in b.Body)
                {
                    if (c is LabelStmt { Name: not ("case" or "default") } && terminated) exit = true;
                    Collect(c, exit, into, api);
                    if (c is JumpStmt { Kind: "return" or "goto" }) terminated = true;
                }
                break;
            }
            case IfStmt i:
                Add(StatementParser.Calls(i.Cond), dead, into, api);
                Collect(i.Then, dead || Exits(i.Then), into, api);
                if (i.Else is not null) Collect(i.Else, dead || Exits(i.Else), into, api);
                break;
            case LoopStmt l:
                Add(StatementParser.Calls(l.Head), dead, into, api);
                Collect(l.Body, dead, into, api);
                break;
            case SwitchStmt sw:
                Collect(sw.Body, dead, into, api);
                break;
            case JumpStmt j:
                Add(StatementParser.Calls(j.Expr), dead, into, api);
                break;
            case ExprStmt e:
                Add(StatementParser.Calls(e.Tokens), dead, into, api);
                break;
        }
    }

    private static bool Exits(Stmt s) => s switch
    {
        JumpStmt j => j.Kind is "return" or "goto",
        BlockStmt { Body.Count: > 0 } b => Exits(b.Body[^1]),
        _ => false,
    };

    private static void Add(List<CallSite> calls, bool dead, List<(int, string, string?, bool)> into, HashSet<string> api)
    {
        foreach (var c in calls)
        {
            var row = OpVocabulary.Match(c.Name, c.Args);
            string? op = row is { Ops.Length: > 0 } ? row.Ops[^1] : null;
            if (api.Contains(c.Name)) op = row is { Ops.Length: > 0 } ? row.Ops[0] : c.Name;
            if (op is not null && (Kinds.Contains(op) || api.Contains(c.Name)))
                into.Add((c.Line, c.Name, op, dead));
        }
    }

    public static string Render(SourceIndex index, TreeVersion? version)
    {
        var rows = Rows(index);
        var sb = new StringBuilder();
        sb.Append($"# checker extract --audit: linux {version?.ToString() ?? "?"}, {index.FileCount} files, config {(index.Config.Path is null ? "none (every CONFIG_ off)" : Path.GetFileName(index.Config.Path))}\n");
        sb.Append($"# {rows.Count} functions in mm/ and kernel/ call the notifier or secondary-invalidation API; per function, in source order,\n");
        sb.Append("# the notifier calls, CPU flushes and PTE changes of its own body (callees not followed; '(exit)' = on an error/early-exit path)\n\n");
        sb.Append($"{"function",-40} {"where",-28} calls\n");
        foreach (var r in rows)
        {
            var parts = new List<string>();
            foreach (var (line, call, op, dead) in r.Calls) parts.Add($"{call}@{line}{(dead ? "(exit)" : "")}");
            sb.Append($"{r.Function.Name,-40} {r.Function.Where,-28} {string.Join(" ; ", parts)}\n");
        }
        var onlyEnd = new List<string>();
        foreach (var r in rows)
            for (int k = 0; k < r.Calls.Count; k++)
            {
                if (r.Calls[k].Op != "invalidate_range_only_end") continue;
                string nearest = "none after it in the function";
                for (int j = k + 1; j < r.Calls.Count; j++)
                    if (IsCpuFlush(r.Calls[j].Op ?? "")) { nearest = $"after: {r.Calls[j].Call}@{r.Calls[j].Line}"; break; }
                if (nearest.StartsWith("none", StringComparison.Ordinal))
                    for (int j = k - 1; j >= 0; j--)
                        if (IsCpuFlush(r.Calls[j].Op ?? "")) { nearest += $"; before: {r.Calls[j].Call}@{r.Calls[j].Line}"; break; }
                onlyEnd.Add($"{r.Function.Name,-40} {r.Function.File}:{r.Calls[k].Line,-6} nearest CPU flush {nearest}");
            }
        sb.Append($"\n# invalidate_range_only_end sites: {onlyEnd.Count}\n");
        foreach (var l in onlyEnd) sb.Append(l).Append('\n');
        return sb.ToString();
    }
}
