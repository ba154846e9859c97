using System.Text;
using System.Text.RegularExpressions;

namespace Checker.Extract;

/// <summary>What <c>checker extract</c> was asked for.</summary>
public sealed record ExtractOptions(string Root, string? Through = null, int Depth = 8, string? Skip = null, string? Thread = null, string Arch = "x86");

/// <summary>One line of a draft's thread: an op (live, or commented out on an error exit / an alternative) or
/// a structure comment.</summary>
public sealed record DraftLine(int Indent, string? Op, string Args, string Comment, bool Dead, string? Assigned = null, string? LastArg = null)
{
    public string Render()
    {
        var pad = new string(' ', 2 + 2 * Indent);
        if (Op is null) return $"{pad}# {Comment}";
        string op = Args.Length > 0 ? $"{Op} {Args}" : Op;
        return Dead ? $"{pad}# {op}  # {Comment}" : $"{pad}{op}  # {Comment}";
    }
}

/// <summary>The result: the draft's text and its thread's live op names in order (what the LCS is measured on).</summary>
public sealed record Draft(string Text, List<string> Ops, List<DraftLine> Lines);

/// <summary>
/// Walks the root function's statement tree, following callees (to <see cref="ExtractOptions.Depth"/>, only into
/// callees that reach an op of <see cref="OpVocabulary"/>), and writes a draft ordering: a TODO header, the ops in
/// source order indented by nesting, each with <c># file:line call(args)</c>; structure comments (<c># if (…):</c>,
/// <c># loop: …</c>, <c># -> callee (file:line)</c>); ops on error exits and untaken alternatives commented out;
/// ranges as '?' with the source's range; a clear followed by an install of the same entry folded into
/// <c>pte_move</c>; and the locks the root's callers hold around it.
/// </summary>
public sealed class DraftExtractor
{
    private readonly SourceIndex index;
    private readonly ExtractOptions options;
    private readonly Regex? skip;
    private readonly Dictionary<(string, int), bool> reaches = [];
    private readonly Dictionary<(string, int), bool> reachesThrough = [];
    private readonly Dictionary<string, string> rangeHints = new(StringComparer.Ordinal);
    private readonly List<DraftLine> lines = [];
    private readonly List<string> path = [];

    public DraftExtractor(SourceIndex index, ExtractOptions options)
    {
        this.index = index;
        this.options = options;
        skip = options.Skip is { Length: > 0 } s ? new Regex(s, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase) : null;
    }

    public Draft Extract(TreeVersion? version, string srcLabel)
    {
        var root = index.Function(options.Root) ?? throw new ArgumentException($"function '{options.Root}' is not defined in the tree");
        var context = CallerContext.Find(index, root, options.Arch, skip);
        foreach (var c in context.Before) lines.Add(c);
        path.Add(root.Name);
        Walk(root.Body, 0, false, 0, options.Through is null);
        foreach (var c in context.After) lines.Add(c);
        Peepholes();
        var ops = new List<string>();
        foreach (var l in lines) if (l.Op is not null && !l.Dead) ops.Add(l.Op);
        return new Draft(Render(root, version, srcLabel, context), ops, lines);
    }

    private string Render(FunctionDef root, TreeVersion? version, string srcLabel, CallerContext context)
    {
        var sb = new StringBuilder();
        string release = version?.Release ?? "TODO";
        sb.Append($"# DRAFT by checker extract: linux {version?.ToString() ?? "(no Makefile version)"} ({srcLabel}), root {root.Name} ({root.Where})")
          .Append($", arch {options.Arch}, depth {options.Depth}")
          .Append(options.Through is null ? "" : $", through {options.Through}")
          .Append(options.Skip is null ? "" : $", skip /{options.Skip}/")
          .Append(index.Config.Path is null ? ", no config (every CONFIG_ off)" : $", config {Path.GetFileName(index.Config.Path)} (unset CONFIG_ = off)")
          .Append('\n');
        sb.Append("# To finish it (checker validate lists every hole with its position): name the ordering, say how many pages,\n");
        sb.Append("# replace each '?' by pages from the range in its comment, state the expectation, add the racing thread(s),\n");
        sb.Append("# and review the ops commented out (error exits, untaken alternatives) and the caller context.\n");
        sb.Append("ordering TODO\n");
        sb.Append($"kernel {release}\n");
        sb.Append($"arch {options.Arch}\n");
        sb.Append("pages TODO\n");
        sb.Append("cpus 0 # the drafted thread alone; raise to let user CPUs access the pages\n");
        sb.Append("secondary sva exact # the device the notifier calls are checked against\n");
        sb.Append("expect TODO\n");
        sb.Append($"source {root.Name} ({root.Where}, linux {version?.ToString() ?? "?"}), drafted by checker extract");
        if (context.Sources.Count > 0) sb.Append("; caller context: ").Append(string.Join("; ", context.Sources));
        sb.Append('\n').Append('\n');
        sb.Append($"thread {options.Thread ?? ThreadName(root.Name)}\n");
        foreach (var l in lines) sb.Append(l.Render()).Append('\n');
        return sb.ToString();
    }

    private static string ThreadName(string root) =>
        root.StartsWith("sys_", StringComparison.Ordinal) ? root[4..] : root;

    // ---- reach ----

    private bool Skipped(string name) => skip is not null && skip.IsMatch(name);

    /// <summary>Whether a call of <paramref name="name"/> leads to an op within <paramref name="depth"/> more levels.</summary>
    private bool Reaches(string name, int depth)
    {
        if (OpVocabulary.Knows(name)) return true;
        if (depth <= 0 || Skipped(name)) return false;
        if (reaches.TryGetValue((name, depth), out bool known)) return known;
        reaches[(name, depth)] = false; // a cycle reaches nothing new
        bool result = false;
        foreach (var call in CallsOf(name))
            if (Reaches(call, depth - 1)) { result = true; break; }
        return reaches[(name, depth)] = result;
    }

    private bool ReachesThrough(string name, int depth)
    {
        if (name == options.Through) return true;
        if (depth <= 0 || Skipped(name) || OpVocabulary.Knows(name)) return false;
        if (reachesThrough.TryGetValue((name, depth), out bool known)) return known;
        reachesThrough[(name, depth)] = false;
        bool result = false;
        foreach (var call in CallsOf(name))
            if (ReachesThrough(call, depth - 1)) { result = true; break; }
        return reachesThrough[(name, depth)] = result;
    }

    private readonly Dictionary<string, List<string>> callsOf = new(StringComparer.Ordinal);

    private List<string> CallsOf(string name)
    {
        if (callsOf.TryGetValue(name, out var list)) return list;
        list = [];
        IReadOnlyList<CToken>? tokens = null;
        if (index.Function(name) is { } f) tokens = f.Tokens.GetRange(f.Open, f.Close - f.Open + 1);
        else if (index.Macro(name) is { } m) tokens = m.Body;
        if (tokens is not null)
            foreach (var c in StatementParser.Calls(tokens)) if (!list.Contains(c.Name)) list.Add(c.Name);
        return callsOf[name] = list;
    }

    // ---- the walk ----

    /// <summary>Walks a statement. <paramref name="dead"/>: on an error exit or an untaken alternative (ops are
    /// commented out). Returns whether the statement always leaves the enclosing block (return, goto, break).</summary>
    private bool Walk(Stmt s, int indent, bool dead, int depth, bool throughDone)
    {
        switch (s)
        {
            case BlockStmt b:
            {
                bool terminated = false;
                bool exitRegion = dead;
                foreach (var child in b.Body)
                {
                    if (child is LabelStmt label && label.Name is not ("case" or "default"))
                    {
                        if (terminated && !dead)
                        {
                            exitRegion = true;
                            Comment(indent, $"{label.Name}: (reached only by goto: an exit path, ops commented out)", true);
                        }
                        continue;
                    }
                    bool left = Walk(child, indent, exitRegion, depth, throughDone);
                    if (left) terminated = true;
                }
                return terminated;
            }
            case IfStmt i:
            {
                var condCalls = StatementParser.Calls(i.Cond);
                Calls(condCalls, indent, dead, depth, throughDone);
                string cond = StatementParser.Text(i.Cond);
                bool notTaken = cond.StartsWith("unlikely(", StringComparison.Ordinal) && cond.EndsWith(')') && Balanced(cond, 9)
                    || skip is not null && skip.IsMatch(cond);
                bool thenExit = Exits(i.Then);
                bool thenDead = dead || notTaken || thenExit;
                int mark = lines.Count;
                Comment(indent, $"if ({cond}):" + (notTaken ? " (rare: not taken)" : thenExit ? " (exit)" : ""), thenDead);
                int start = lines.Count;
                Walk(i.Then, indent + 1, thenDead, depth, throughDone);
                if (lines.Count == start) lines.RemoveAt(mark);
                if (i.Else is not null)
                {
                    bool alternative = !(notTaken || thenExit);
                    if (i.Else is IfStmt)
                        Walk(i.Else, indent, dead || alternative, depth, throughDone);
                    else
                    {
                        bool elseDead = dead || alternative || Exits(i.Else);
                        mark = lines.Count;
                        Comment(indent, "else:" + (alternative && !dead ? " (alternative: ops commented out)" : ""), elseDead);
                        start = lines.Count;
                        Walk(i.Else, indent + 1, elseDead, depth, throughDone);
                        if (lines.Count == start) lines.RemoveAt(mark);
                    }
                }
                return false;
            }
            case LoopStmt l:
            {
                int mark = lines.Count;
                string head = StatementParser.Text(l.Head);
                Comment(indent, l.Kind switch
                {
                    "for" => $"loop: for ({head})",
                    "while" => $"loop: while ({head})",
                    "do" => $"loop: do … while ({head})",
                    _ => $"loop: {l.Kind}({head})",
                }, dead);
                int start = lines.Count;
                var headCalls = StatementParser.Calls(l.Head);
                if (l.Kind != "do") Calls(headCalls, indent + 1, dead, depth, throughDone);
                Walk(l.Body, indent + 1, dead, depth, throughDone);
                if (l.Kind == "do") Calls(headCalls, indent + 1, dead, depth, throughDone);
                if (lines.Count == start) lines.RemoveAt(mark);
                foreach (var c in headCalls)
                    if (OpVocabulary.Match(c.Name, c.Args) is { LoopExitOp: { } exit } row)
                        lines.Add(new DraftLine(indent, exit, "", $"loop ends: {c.Name}() returns false — {row.Note}", dead));
                return false;
            }
            case SwitchStmt sw:
            {
                Calls(StatementParser.Calls(sw.Cond), indent, dead, depth, throughDone);
                int mark = lines.Count;
                Comment(indent, $"switch ({StatementParser.Text(sw.Cond)}):", dead);
                int start = lines.Count;
                if (sw.Body is BlockStmt body)
                    foreach (var child in body.Body)
                        if (child is not JumpStmt { Kind: "break" }) Walk(child, indent + 1, dead, depth, throughDone);
                if (lines.Count == start) lines.RemoveAt(mark);
                return false;
            }
            case JumpStmt j:
                Calls(StatementParser.Calls(j.Expr), indent, dead, depth, throughDone);
                return j.Kind != "continue";
            case ExprStmt e:
                Calls(StatementParser.Calls(e.Tokens), indent, dead, depth, throughDone);
                return false;
        }
        return false;
    }

    private static bool Balanced(string text, int from)
    {
        int depth = 1;
        for (int k = from; k < text.Length; k++)
        {
            if (text[k] == '(') depth++;
            else if (text[k] == ')' && --depth == 0) return k == text.Length - 1;
        }
        return false;
    }

    /// <summary>A branch that ends in return, goto or break: an early exit (error path).</summary>
    private static bool Exits(Stmt s) => s switch
    {
        JumpStmt j => j.Kind is "return" or "goto" or "break" or "continue",
        BlockStmt { Body.Count: > 0 } b => Exits(b.Body[^1]),
        _ => false,
    };

    private void Comment(int indent, string text, bool dead) => lines.Add(new DraftLine(indent, null, "", text, dead));

    private void Calls(List<CallSite> calls, int indent, bool dead, int depth, bool throughDone)
    {
        foreach (var c in calls) Call(c, indent, dead, depth, throughDone);
    }

    private string FileOf() => path.Count == 0 ? "" : index.Function(path[^1])?.File ?? index.Macro(path[^1])?.File ?? "";

    private void Call(CallSite c, int indent, bool dead, int depth, bool throughDone)
    {
        string where = $"{FileOf()}:{c.Line} {Shorten(c.Text)}";
        if (OpVocabulary.Match(c.Name, c.Args) is { } row && !Skipped(c.Name))
        {
            if (row.Hint == ArgHint.RangeInit)
            {
                if (c.Args.Length >= 2)
                    rangeHints[c.Args[0].TrimStart('&').Trim()] = $"[{Arg(c.Args, row.From)}, {Arg(c.Args, row.To)})";
                return;
            }
            if (row.NotAnOp(c.Args) is { } why)
            {
                lines.Add(new DraftLine(indent, null, "", $"{where}: {why}", dead));
                return;
            }
            string hint = row.Hint switch
            {
                ArgHint.Range => $"range [{Arg(c.Args, row.From)}, {Arg(c.Args, row.To)})",
                ArgHint.NotifierRange => c.Args.Length > 0 && rangeHints.TryGetValue(c.Args[0].TrimStart('&').Trim(), out var h)
                    ? $"range {h}" : "range: set where the range variable is initialised",
                ArgHint.Page => $"page of {Arg(c.Args, row.From)}",
                ArgHint.Protection => $"range [{Arg(c.Args, row.From)}, {Arg(c.Args, row.To)})",
                _ => "",
            };
            foreach (var op in row.Ops)
            {
                string args = row.Hint switch
                {
                    ArgHint.None or ArgHint.RangeInit => "",
                    ArgHint.Lock => row.Lock!,
                    ArgHint.Protection => "? ro",
                    _ => op is "pte_install" && row.Ops.Length > 1 || op is "change_pte" ? "?" : "?",
                };
                if (op is "ptl_lock" or "ptl_unlock" or "pte_install" or "pte_clear" or "pte_wrprotect" && OtherTable(c))
                {
                    lines.Add(new DraftLine(indent, null, "", $"{where}: the destination's (child's) page table, not the modelled one: no op", dead));
                    continue;
                }
                if (op is "mmap_write_lock" or "mmap_read_lock" or "mmap_write_unlock" or "mmap_read_unlock" or "flush_tlb_mm"
                    && OtherMm(c)) { lines.Add(new DraftLine(indent, null, "", $"{where}: another mm (the modelled mm is {modelledMm}): no op", dead)); continue; }
                lines.Add(new DraftLine(indent, op, args, hint.Length > 0 ? $"{where} — {hint}" : where, dead, c.Assigned, c.Args.Length > 0 ? c.Args[^1].Trim() : null));
            }
            return;
        }
        if (Skipped(c.Name) || path.Contains(c.Name) || depth >= options.Depth) return;
        bool inThrough = throughDone || c.Name == options.Through;
        if (!throughDone && !ReachesThrough(c.Name, options.Depth - depth)) return;
        if (!Reaches(c.Name, options.Depth - depth)) return;
        int mark = lines.Count;
        if (index.Function(c.Name) is { } f)
        {
            Comment(indent, $"-> {c.Name} ({f.Where}) from {FileOf()}:{c.Line}", dead);
            int start = lines.Count;
            path.Add(c.Name);
            Walk(f.Body, indent + 1, dead, depth + 1, inThrough);
            path.RemoveAt(path.Count - 1);
            if (lines.Count == start) lines.RemoveAt(mark);
        }
        else if (index.Macro(c.Name) is { } m)
        {
            Comment(indent, $"-> {c.Name} (macro, {m.File}:{m.Line}) from {FileOf()}:{c.Line}", dead);
            int start = lines.Count;
            path.Add(c.Name);
            foreach (var inner in StatementParser.Calls(m.Body)) Call(inner, indent + 1, dead, depth + 1, inThrough);
            path.RemoveAt(path.Count - 1);
            if (lines.Count == start) lines.RemoveAt(mark);
        }
    }

    private static readonly Regex Destination = new(@"(^|[^A-Za-z0-9])(dst|new_ptl)", RegexOptions.CultureInvariant);

    /// <summary>The model has one page table: an op on the destination's table (fork's child, dst_…; mremap's
    /// second PTL, new_ptl) is a comment.</summary>
    private static bool OtherTable(CallSite c)
    {
        foreach (var a in c.Args) if (Destination.IsMatch(a)) return true;
        return false;
    }

    private string? modelledMm;

    /// <summary>The model has one mm: the first mm the thread locks (or flushes) is it; a lock of another mm
    /// (dup_mmap's child mm) is written as a comment.</summary>
    private bool OtherMm(CallSite c)
    {
        if (c.Args.Length == 0) return false;
        string mm = c.Args[0].Trim();
        if (!Regex.IsMatch(mm, "^[A-Za-z_][A-Za-z0-9_]*$")) return false; // vma->vm_mm and the like: the mm
        modelledMm ??= mm;
        return mm != modelledMm;
    }

    private static string Arg(string[] args, int k)
    {
        int i = k < 0 ? args.Length + k : k;
        return i >= 0 && i < args.Length ? args[i].Trim() : "?";
    }

    private static string Shorten(string text) => text.Length <= 90 ? text : text[..87] + "…";

    // ---- peepholes ----

    /// <summary>A live clear whose result is installed again by a later live install (before any other PTE op) is
    /// mremap's move: one <c>pte_move</c>.</summary>
    private void Peepholes()
    {
        for (int k = 0; k < lines.Count; k++)
        {
            var clear = lines[k];
            if (clear is not { Op: "pte_clear", Dead: false, Assigned: { } value }) continue;
            for (int m = k + 1; m < lines.Count; m++)
            {
                var next = lines[m];
                if (next.Op is null || next.Dead) continue;
                if (next.Op == "pte_install" && next.LastArg == value)
                {
                    lines[k] = clear with { Op = "pte_move", Args = "? ?", Comment = $"{clear.Comment}; then {next.Comment} — the same entry: a move (source range, destination)" };
                    lines[m] = next with { Op = null, Comment = $"(folded into the pte_move above) {next.Comment}" };
                    break;
                }
                if (next.Op is "pte_clear" or "pte_install" or "pte_wrprotect" or "ptep_clear_flush" or "ptl_unlock") break;
            }
        }
    }
}
