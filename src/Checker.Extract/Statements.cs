namespace Checker.Extract;

/// <summary>The statement tree of a C function body: only the structure that decides the order and reach of
/// calls (blocks, if/else, loops, switch, jumps, labels); everything else is an expression statement.</summary>
public abstract record Stmt(int Line);

public sealed record BlockStmt(List<Stmt> Body, int Line) : Stmt(Line);

public sealed record IfStmt(CToken[] Cond, Stmt Then, Stmt? Else, int Line) : Stmt(Line);

/// <summary>for / while / do, or a loop macro (<c>for_each_vma(vmi, vma) { … }</c>); <see cref="Head"/> is the
/// text between the parentheses.</summary>
public sealed record LoopStmt(string Kind, CToken[] Head, Stmt Body, int Line) : Stmt(Line);

public sealed record SwitchStmt(CToken[] Cond, Stmt Body, int Line) : Stmt(Line);

/// <summary>goto (with its label), return (with its expression), break, continue.</summary>
public sealed record JumpStmt(string Kind, string? Label, CToken[] Expr, int Line) : Stmt(Line);

public sealed record LabelStmt(string Name, int Line) : Stmt(Line);

public sealed record ExprStmt(CToken[] Tokens, int Line) : Stmt(Line);

/// <summary>A call in an expression: its name, its arguments as source text, the variable its result is
/// assigned to (if any), and its line.</summary>
public sealed record CallSite(string Name, string[] Args, string? Assigned, int Line)
{
    public string Text => $"{Name}({string.Join(", ", Args)})";
}

/// <summary>Parses a function body's tokens into a <see cref="BlockStmt"/>, and the calls out of expressions.</summary>
public static class StatementParser
{
    private static readonly HashSet<string> NotCalls = new(StringComparer.Ordinal)
    {
        "if", "while", "for", "switch", "return", "sizeof", "typeof", "__typeof__", "__typeof", "_Alignof", "alignof",
        "__builtin_constant_p", "__builtin_expect", "offsetof", "__attribute__", "asm", "__asm__", "case", "do",
        "likely", "unlikely", "READ_ONCE", "WRITE_ONCE", "VM_BUG_ON", "VM_BUG_ON_FOLIO", "VM_BUG_ON_PAGE", "VM_BUG_ON_VMA",
        "VM_WARN_ON", "VM_WARN_ON_ONCE", "VM_WARN_ON_FOLIO", "WARN_ON", "WARN_ON_ONCE", "BUG_ON", "lockdep_assert_held",
    };

    public static BlockStmt ParseBody(IReadOnlyList<CToken> t, int open, int close)
    {
        int i = open + 1;
        var body = new List<Stmt>();
        while (i < close) body.Add(Statement(t, ref i, close));
        return new BlockStmt(body, t[open].Line);
    }

    private static int Match(IReadOnlyList<CToken> t, int i, int limit)
    {
        string open = t[i].Text;
        string close = open switch { "(" => ")", "[" => "]", _ => "}" };
        int depth = 0;
        for (int k = i; k < limit; k++)
        {
            if (t[k].Text == open) depth++;
            else if (t[k].Text == close && --depth == 0) return k;
        }
        return limit - 1;
    }

    private static CToken[] Slice(IReadOnlyList<CToken> t, int from, int to)
    {
        var a = new CToken[Math.Max(0, to - from)];
        for (int k = from; k < to; k++) a[k - from] = t[k];
        return a;
    }

    private static Stmt Statement(IReadOnlyList<CToken> t, ref int i, int limit)
    {
        var tok = t[i];
        int line = tok.Line;
        switch (tok.Text)
        {
            case "{":
            {
                int close = Match(t, i, limit);
                var block = ParseBody(t, i, close);
                i = close + 1;
                return block;
            }
            case ";":
                i++;
                return new BlockStmt([], line);
            case "if" when i + 1 < limit && t[i + 1].Text == "(":
            {
                int close = Match(t, i + 1, limit);
                var cond = Slice(t, i + 2, close);
                i = close + 1;
                var then = i < limit ? Statement(t, ref i, limit) : new BlockStmt([], line);
                Stmt? otherwise = null;
                if (i < limit && t[i].Text == "else")
                {
                    i++;
                    if (i < limit) otherwise = Statement(t, ref i, limit);
                }
                return new IfStmt(cond, then, otherwise, line);
            }
            case "for" or "while" or "switch" when i + 1 < limit && t[i + 1].Text == "(":
            {
                int close = Match(t, i + 1, limit);
                var head = Slice(t, i + 2, close);
                i = close + 1;
                var body = i < limit ? Statement(t, ref i, limit) : new BlockStmt([], line);
                return tok.Text == "switch" ? new SwitchStmt(head, body, line) : new LoopStmt(tok.Text, head, body, line);
            }
            case "do":
            {
                i++;
                var body = Statement(t, ref i, limit);
                CToken[] head = [];
                if (i < limit && t[i].Text == "while" && i + 1 < limit && t[i + 1].Text == "(")
                {
                    int close = Match(t, i + 1, limit);
                    head = Slice(t, i + 2, close);
                    i = close + 1;
                }
                if (i < limit && t[i].Text == ";") i++;
                return new LoopStmt("do", head, body, line);
            }
            case "case":
            {
                while (i < limit && t[i].Text != ":") i++;
                i++;
                return new LabelStmt("case", line);
            }
            case "default" when i + 1 < limit && t[i + 1].Text == ":":
                i += 2;
                return new LabelStmt("default", line);
            case "goto" or "return" or "break" or "continue":
            {
                int start = i + 1;
                int end = EndOfExpression(t, start, limit);
                i = Math.Min(end + 1, limit);
                string? label = tok.Text == "goto" && start < end ? t[start].Text : null;
                return new JumpStmt(tok.Text, label, Slice(t, start, end), line);
            }
        }
        if (tok.IsIdent && i + 1 < limit && t[i + 1].Text == ":" && (i + 2 >= limit || t[i + 2].Text != ":"))
        {
            i += 2;
            return new LabelStmt(tok.Text, line);
        }
        // a loop macro: NAME(…) { … }  or  for_each_…(…) statement
        if (tok.IsIdent && i + 1 < limit && t[i + 1].Text == "(")
        {
            int close = Match(t, i + 1, limit);
            if (close + 1 < limit && (t[close + 1].Text == "{" || tok.Text.Contains("for_each", StringComparison.Ordinal) && t[close + 1].Text != ";"))
            {
                var head = Slice(t, i + 2, close);
                i = close + 1;
                var body = Statement(t, ref i, limit);
                return new LoopStmt(tok.Text, head, body, line);
            }
        }
        int stop = EndOfExpression(t, i, limit);
        var expr = Slice(t, i, stop);
        i = Math.Min(stop + 1, limit);
        return new ExprStmt(expr, line);
    }

    /// <summary>The index of the ';' ending the expression or declaration at <paramref name="i"/> (nesting of
    /// (), [] and {} — statement expressions, initialisers — skipped).</summary>
    private static int EndOfExpression(IReadOnlyList<CToken> t, int i, int limit)
    {
        int depth = 0;
        for (int k = i; k < limit; k++)
        {
            string s = t[k].Text;
            if (s is "(" or "[" or "{") depth++;
            else if (s is ")" or "]" or "}")
            {
                if (--depth < 0) return k;
            }
            else if (s == ";" && depth == 0) return k;
        }
        return limit;
    }

    /// <summary>The calls in an expression in evaluation order: arguments' calls before the call itself.</summary>
    public static List<CallSite> Calls(IReadOnlyList<CToken> t)
    {
        var list = new List<CallSite>();
        CallsIn(t, 0, t.Count, list);
        return list;
    }

    private static void CallsIn(IReadOnlyList<CToken> t, int from, int to, List<CallSite> into)
    {
        for (int k = from; k < to; k++)
        {
            var tok = t[k];
            if (!tok.IsIdent || k + 1 >= to || t[k + 1].Text != "(") continue;
            int close = Match(t, k + 1, to);
            bool member = k > 0 && t[k - 1].Text is "." or "->";
            CallsIn(t, k + 2, close, into);
            if (!member && !NotCalls.Contains(tok.Text))
            {
                string? assigned = null;
                int b = k - 1;
                while (b >= from && t[b].Text == "(") b--; // (void)call(…) / (x = call(…))
                if (b - 1 >= from && t[b].Text == "=" && t[b - 1].IsIdent) assigned = t[b - 1].Text;
                into.Add(new CallSite(tok.Text, Args(t, k + 2, close), assigned, tok.Line));
            }
            k = close;
        }
    }

    private static string[] Args(IReadOnlyList<CToken> t, int from, int to)
    {
        var args = new List<string>();
        var sb = new System.Text.StringBuilder();
        int depth = 0;
        for (int k = from; k < to; k++)
        {
            string s = t[k].Text;
            if (s is "(" or "[" or "{") depth++;
            else if (s is ")" or "]" or "}") depth--;
            if (s == "," && depth == 0)
            {
                args.Add(sb.ToString());
                sb.Clear();
                continue;
            }
            Append(sb, t[k]);
        }
        if (sb.Length > 0 || args.Count > 0) args.Add(sb.ToString());
        return [.. args];
    }

    /// <summary>Joins tokens back into readable C: a space only between two words or around binary operators.</summary>
    public static string Text(IReadOnlyList<CToken> t)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var tok in t) Append(sb, tok);
        return sb.ToString();
    }

    private static void Append(System.Text.StringBuilder sb, CToken tok)
    {
        if (sb.Length > 0)
        {
            char last = sb[^1];
            bool word = tok.Kind != CTokenKind.Punct;
            bool lastWord = char.IsLetterOrDigit(last) || last == '_' || last == '"' || last == '\'';
            bool binary = tok.Text is "==" or "!=" or "&&" or "||" or "<" or ">" or "<=" or ">=" or "=" or "+=" or "-=" or "|=" or "&=" or "?" or ":" or "|" or "+" or "-";
            bool lastBinary = sb.Length >= 2 && sb[^1] == ' ';
            if (word && lastWord || binary || (word && last == ',')) sb.Append(' ');
            else if (lastBinary) { }
            sb.Append(tok.Text);
            if (binary) sb.Append(' ');
            return;
        }
        sb.Append(tok.Text);
    }
}
