namespace Checker.Extract;

/// <summary>
/// The locks the root's callers hold around it, read from the callers' source (up to four levels up, function
/// pointers included: a designated initialiser <c>.rmap_one = try_to_unmap_one</c> makes the function holding the
/// initialiser a caller): the lock ops taken on the caller's live path before the call and not yet released, and
/// the caller's first release of each after it. Ops are written before and after the root's, with the caller and
/// line they come from.
/// </summary>
public sealed record CallerContext(List<DraftLine> Before, List<DraftLine> After, List<string> Sources)
{
    private const int Levels = 4;

    private static string? ReleaseOf(string op) => op switch
    {
        "mmap_write_lock" => "mmap_write_unlock",
        "mmap_read_lock" => "mmap_read_unlock",
        "ptl_lock" => "ptl_unlock",
        "lock" => "unlock",
        _ => null,
    };

    private sealed record Flat(CallSite Call, VocabularyRow? Row, bool Dead);

    public static CallerContext Find(SourceIndex index, FunctionDef root, string arch, System.Text.RegularExpressions.Regex? skip = null)
    {
        var before = new List<DraftLine>();
        var after = new List<DraftLine>();
        var sources = new List<string>();
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        var level = new List<string> { root.Name };
        var seen = new HashSet<string>(StringComparer.Ordinal) { root.Name };
        for (int up = 0; up < Levels && level.Count > 0; up++)
        {
            var next = new List<string>();
            foreach (var callee in level)
            {
                var callers = new List<(FunctionDef Caller, string Target)>();
                foreach (var (caller, _, _) in index.Callers(callee)) callers.Add((caller, callee));
                foreach (var init in index.Initialisers)
                    if (init.Target == callee && init.Enclosing is { } enc && index.Function(enc) is { } f)
                        callers.Add((f, "&" + init.Field)); // the callback is run by the walk the function starts
                // the richest context first (most locks held, then a deferred flush completed), then arch, mm/, others
                var scored = new List<(FunctionDef Caller, List<(Flat Acquire, Flat? Release, int Site)> Held, List<Flat> Completions)>();
                foreach (var (caller, target) in callers)
                {
                    if (skip is not null && (skip.IsMatch(caller.Name) || skip.IsMatch(caller.File))) continue;
                    if (!seen.Add(caller.Name)) continue;
                    next.Add(caller.Name);
                    var held = Held(caller, target.StartsWith('&') ? null : target, out var completions);
                    scored.Add((caller, held, completions));
                }
                scored.Sort((a, b) =>
                {
                    int c = (b.Held.Count * 2 + b.Completions.Count).CompareTo(a.Held.Count * 2 + a.Completions.Count);
                    if (c != 0) return c;
                    c = Rank(a.Caller, arch).CompareTo(Rank(b.Caller, arch));
                    return c != 0 ? c : string.CompareOrdinal(a.Caller.Where, b.Caller.Where);
                });
                foreach (var (caller, held, completions) in scored)
                {
                    foreach (var (acquire, release, site) in held)
                    {
                        string kind = acquire.Row!.Ops[0] + (acquire.Row.Lock ?? "");
                        if (!kinds.Add(kind)) continue;
                        before.Insert(0, new DraftLine(0, acquire.Row.Ops[0], acquire.Row.Lock ?? "",
                            $"caller context: {caller.Name} ({caller.File}:{acquire.Call.Line} {acquire.Call.Text}) holds it at {caller.File}:{site}", false));
                        if (release is not null)
                            after.Add(new DraftLine(0, release.Row!.Ops[0], release.Row.Lock ?? "",
                                $"caller context: {caller.Name} ({caller.File}:{release.Call.Line} {release.Call.Text})", false));
                        sources.Add($"{caller.Name} ({caller.Where}) holds {acquire.Row.Ops[0]}{(acquire.Row.Lock is { } l ? " " + l : "")}");
                    }
                    if (held.Count > 0)
                        foreach (var c in completions)
                            if (kinds.Add("completion " + c.Row!.Ops[0]))
                                after.Add(new DraftLine(0, c.Row.Ops[0], c.Row.Hint == ArgHint.None ? "" : "?", $"caller context: {caller.Name} completes the deferred flush ({caller.File}:{c.Call.Line} {c.Call.Text})", false));
                }
            }
            level = next;
        }
        return new CallerContext(before, after, sources);
    }

    private static int Rank(FunctionDef f, string arch) =>
        f.File.StartsWith($"arch/{arch}/", StringComparison.Ordinal) ? 0 : f.File.StartsWith("mm/", StringComparison.Ordinal) ? 1 : 2;

    /// <summary>The lock ops live at a call of <paramref name="target"/> in <paramref name="caller"/> (any call
    /// when null: the callback case), with the first live release after it when the call site is itself live.</summary>
    private static List<(Flat Acquire, Flat? Release, int Site)> Held(FunctionDef caller, string? target, out List<Flat> completions)
    {
        completions = [];
        var flat = new List<Flat>();
        Flatten(caller.Body, false, flat);
        var best = new List<(Flat, Flat?, int)>();
        for (int k = 0; k < flat.Count; k++)
        {
            if (target is not null && flat[k].Call.Name != target) continue;
            if (target is null && flat[k].Row is not null) continue;
            var held = new List<Flat>();
            for (int j = 0; j < k; j++)
            {
                var f = flat[j];
                if (f.Dead || f.Row is null) continue;
                if (ReleaseOf(f.Row.Ops.Length > 0 ? f.Row.Ops[0] : "") is not null) held.Add(f);
                else
                    held.RemoveAll(h => ReleaseOf(h.Row!.Ops[0]) == (f.Row.Ops.Length > 0 ? f.Row.Ops[0] : "") && h.Row.Lock == f.Row.Lock);
            }
            var result = new List<(Flat, Flat?, int)>();
            foreach (var h in held)
            {
                Flat? release = null;
                if (!flat[k].Dead)
                    for (int j = k + 1; j < flat.Count; j++)
                        if (!flat[j].Dead && flat[j].Row is { } r && r.Ops.Length > 0 && r.Ops[0] == ReleaseOf(h.Row!.Ops[0]) && r.Lock == h.Row.Lock)
                        {
                            release = flat[j];
                            break;
                        }
                result.Add((h, release, flat[k].Call.Line));
            }
            if (result.Count > best.Count)
            {
                best = result;
                // reclaim's deferred flush is completed by the caller: its try_to_unmap_flush, then the free after it
                completions = [];
                if (!flat[k].Dead)
                    for (int j = k + 1; j < flat.Count; j++)
                        if (!flat[j].Dead && flat[j].Row is { Ops: [var op, ..] }
                            && (op == "try_to_unmap_flush" && completions.Count == 0 || op == "put_page" && completions.Count == 1))
                            completions.Add(flat[j]);
            }
            if (target is null && best.Count > 0) break;
        }
        return best;
    }

    private static void Flatten(Stmt s, bool dead, List<Flat> into)
    {
        switch (s)
        {
            case BlockStmt b:
            {
                bool terminated = false, exitRegion = dead;
                foreach (var child in b.Body)
                {
                    if (child is LabelStmt { Name: not ("case" or "default") } && terminated) exitRegion = true;
                    Flatten(child, exitRegion, into);
                    if (child is JumpStmt { Kind: "return" or "goto" }) terminated = true;
                }
                break;
            }
            case IfStmt i:
                Add(StatementParser.Calls(i.Cond), dead, into);
                Flatten(i.Then, dead || Exits(i.Then), into);
                if (i.Else is not null) Flatten(i.Else, dead || Exits(i.Else), into);
                break;
            case LoopStmt l:
                Add(StatementParser.Calls(l.Head), dead, into);
                Flatten(l.Body, dead, into);
                break;
            case SwitchStmt sw:
                Add(StatementParser.Calls(sw.Cond), dead, into);
                Flatten(sw.Body, dead, into);
                break;
            case JumpStmt j:
                Add(StatementParser.Calls(j.Expr), dead, into);
                break;
            case ExprStmt e:
                Add(StatementParser.Calls(e.Tokens), dead, into);
                break;
        }
    }

    private static bool Exits(Stmt s) => s switch
    {
        JumpStmt j => j.Kind is "return" or "goto" or "break" or "continue",
        BlockStmt { Body.Count: > 0 } b => Exits(b.Body[^1]),
        _ => false,
    };

    private static void Add(List<CallSite> calls, bool dead, List<Flat> into)
    {
        foreach (var c in calls)
        {
            var row = OpVocabulary.Match(c.Name, c.Args);
            bool wanted = row is { Ops.Length: > 0, Hint: ArgHint.None or ArgHint.Lock } && (ReleaseOf(row.Ops[0]) is not null || IsRelease(row.Ops[0]))
                || row is { Ops: ["try_to_unmap_flush" or "put_page"] };
            into.Add(new Flat(c, wanted ? row : null, dead));
        }
    }

    private static bool IsRelease(string op) => op is "mmap_write_unlock" or "mmap_read_unlock" or "ptl_unlock" or "unlock";
}
