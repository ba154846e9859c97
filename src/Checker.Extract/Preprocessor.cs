using System.Globalization;
using System.Text;

namespace Checker.Extract;

/// <summary>A function-like macro: <c>#define NAME(params) body</c>, kept for the index (a macro that expands to
/// an op of interest is followed like a function).</summary>
public sealed record MacroDef(string Name, string[] Params, CToken[] Body, string File, int Line);

/// <summary>
/// One C file after conditional compilation: comments removed, continuation lines joined, <c>#if</c> /
/// <c>#ifdef</c> / <c>#ifndef</c> / <c>#elif</c> / <c>#else</c> / <c>#endif</c> evaluated against a
/// <see cref="KernelConfig"/>, and the active lines cut into tokens. Nothing is included or expanded: a macro's
/// name stays what the source says (the kernel's own names are the vocabulary). In an #if, a CONFIG_ option the
/// config does not set is 0, and so is any other name not #defined earlier in the same file.
/// </summary>
public static class Preprocessor
{
    public static (List<CToken> Tokens, List<MacroDef> Macros) Run(string text, string file, KernelConfig config)
    {
        var tokens = new List<CToken>(text.Length / 6);
        var macros = new List<MacroDef>();
        var defined = new Dictionary<string, long>(StringComparer.Ordinal) { ["__KERNEL__"] = 1 };
        // stack of (this branch active, some branch of this #if already taken, parent active)
        var stack = new Stack<(bool Active, bool Taken, bool Parent)>();
        bool active = true;
        var clean = StripComments(text);
        int lineNo = 0;
        int pos = 0;
        var logical = new StringBuilder();
        while (pos < clean.Length)
        {
            int end = clean.IndexOf('\n', pos);
            if (end < 0) end = clean.Length;
            lineNo++;
            int startLine = lineNo;
            logical.Clear();
            logical.Append(clean, pos, end - pos);
            pos = end + 1;
            while (logical.Length > 0 && logical[^1] == '\\' && pos < clean.Length)
            {
                logical.Length--;
                int next = clean.IndexOf('\n', pos);
                if (next < 0) next = clean.Length;
                logical.Append(' ').Append(clean, pos, next - pos);
                pos = next + 1;
                lineNo++;
            }
            var line = logical.ToString();
            int i = 0;
            while (i < line.Length && (line[i] == ' ' || line[i] == '\t')) i++;
            if (i < line.Length && line[i] == '#')
            {
                var lex = Lex(line[(i + 1)..], startLine);
                if (lex.Count == 0) continue;
                string d = lex[0].Text;
                switch (d)
                {
                    case "if":
                    case "ifdef":
                    case "ifndef":
                    {
                        bool value = active && (d switch
                        {
                            "ifdef" => lex.Count > 1 && IsDefined(lex[1].Text, defined, config),
                            "ifndef" => lex.Count > 1 && !IsDefined(lex[1].Text, defined, config),
                            _ => Eval(lex, 1, defined, config),
                        });
                        stack.Push((value, value, active));
                        active = value;
                        break;
                    }
                    case "elif":
                    case "elifdef":
                    case "elifndef":
                    case "else":
                    {
                        if (stack.Count == 0) break;
                        var top = stack.Pop();
                        bool value = top.Parent && !top.Taken && (d switch
                        {
                            "else" => true,
                            "elifdef" => lex.Count > 1 && IsDefined(lex[1].Text, defined, config),
                            "elifndef" => lex.Count > 1 && !IsDefined(lex[1].Text, defined, config),
                            _ => Eval(lex, 1, defined, config),
                        });
                        stack.Push((value, top.Taken || value, top.Parent));
                        active = value;
                        break;
                    }
                    case "endif":
                        if (stack.Count > 0) active = stack.Pop().Parent;
                        break;
                    case "define" when active && lex.Count > 1:
                    {
                        string name = lex[1].Text;
                        // function-like only when '(' follows the name with no space
                        int nameEnd = line.IndexOf(name, line.IndexOf("define", StringComparison.Ordinal) + 6, StringComparison.Ordinal) + name.Length;
                        if (lex.Count > 2 && lex[2].Text == "(" && nameEnd < line.Length && line[nameEnd] == '(')
                        {
                            var ps = new List<string>();
                            int k = 3;
                            for (; k < lex.Count && lex[k].Text != ")"; k++)
                                if (lex[k].Text != ",") ps.Add(lex[k].Text);
                            macros.Add(new MacroDef(name, [.. ps], [.. lex.Skip(k + 1)], file, startLine));
                            defined[name] = 1;
                        }
                        else
                            defined[name] = lex.Count == 3 && lex[2].Kind == CTokenKind.Number ? Number(lex[2].Text) : 1;
                        break;
                    }
                    case "undef" when active && lex.Count > 1:
                        defined.Remove(lex[1].Text);
                        break;
                }
                continue;
            }
            if (!active) continue;
            LexInto(line, startLine, tokens);
        }
        return (tokens, macros);
    }

    private static bool IsDefined(string name, Dictionary<string, long> defined, KernelConfig config) =>
        defined.ContainsKey(name) || name.StartsWith("CONFIG_", StringComparison.Ordinal) && config.IsDefined(name);

    /// <summary>Comments become spaces (newlines kept, so line numbers stay right); strings are left alone.</summary>
    internal static string StripComments(string text)
    {
        var sb = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                int end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0) end = text.Length - 2;
                for (int k = i; k < end + 2 && k < text.Length; k++) sb.Append(text[k] == '\n' ? '\n' : ' ');
                i = end + 2;
                continue;
            }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n') i++;
                continue;
            }
            if (c == '"' || c == '\'')
            {
                sb.Append(c);
                i++;
                while (i < text.Length && text[i] != c && text[i] != '\n')
                {
                    if (text[i] == '\\' && i + 1 < text.Length) { sb.Append(text[i]); i++; }
                    sb.Append(text[i]);
                    i++;
                }
                if (i < text.Length && text[i] == c) { sb.Append(c); i++; }
                continue;
            }
            sb.Append(c);
            i++;
        }
        return sb.ToString();
    }

    internal static List<CToken> Lex(string line, int lineNo)
    {
        var list = new List<CToken>();
        LexInto(line, lineNo, list);
        return list;
    }

    private static readonly string[] Puncts3 = ["...", "<<=", ">>="];
    private static readonly string[] Puncts2 = ["->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "##"];

    // token texts are interned per thread: the same few thousand names recur in every file
    [ThreadStatic] private static Dictionary<string, string>? names;

    private static string Intern(ReadOnlySpan<char> text)
    {
        names ??= new Dictionary<string, string>(1 << 14, StringComparer.Ordinal);
        var lookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out var known)) return known;
        var s = text.ToString();
        names[s] = s;
        return s;
    }

    private static bool IsWord(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' or '$';

    internal static void LexInto(string s, int lineNo, List<CToken> into)
    {
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (c is ' ' or '\t' or '\r' or '\f' or '\v') { i++; continue; }
            int start = i;
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_' or '$')
            {
                while (i < s.Length && IsWord(s[i])) i++;
                into.Add(new CToken(CTokenKind.Identifier, Intern(s.AsSpan(start, i - start)), lineNo));
                continue;
            }
            if (c is >= '0' and <= '9' || c == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1]))
            {
                i++;
                while (i < s.Length && (IsWord(s[i]) || s[i] == '.' || (s[i] is '+' or '-' && s[i - 1] is 'e' or 'E' or 'p' or 'P'))) i++;
                into.Add(new CToken(CTokenKind.Number, Intern(s.AsSpan(start, i - start)), lineNo));
                continue;
            }
            if (c == '"' || c == '\'')
            {
                i++;
                while (i < s.Length && s[i] != c) { if (s[i] == '\\') i++; i++; }
                i = Math.Min(i + 1, s.Length);
                into.Add(new CToken(c == '"' ? CTokenKind.String : CTokenKind.Char, s[start..i], lineNo));
                continue;
            }
            if (char.IsWhiteSpace(c)) { i++; continue; }
            string? p = null;
            if (i + 2 < s.Length && (c is '.' or '<' or '>'))
                foreach (var q in Puncts3) if (s[i] == q[0] && s[i + 1] == q[1] && s[i + 2] == q[2]) { p = q; break; }
            if (p is null && i + 1 < s.Length)
                foreach (var q in Puncts2) if (s[i] == q[0] && s[i + 1] == q[1]) { p = q; break; }
            p ??= Intern(s.AsSpan(i, 1));
            i += p.Length;
            into.Add(new CToken(CTokenKind.Punct, p, lineNo));
        }
    }

    private static long Number(string text)
    {
        var t = text.TrimEnd('u', 'U', 'l', 'L');
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return long.TryParse(t.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long h) ? h : 0;
        return long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : 0;
    }

    // ---- #if expressions: a small precedence climber over the directive's tokens ----

    internal static bool Eval(List<CToken> t, int from, Dictionary<string, long> defined, KernelConfig config)
    {
        var e = new Expr(t, from, defined, config);
        try { return e.Ternary() != 0; }
        catch (FormatException) { return false; }
    }

    private sealed class Expr(List<CToken> t, int i, Dictionary<string, long> defined, KernelConfig config)
    {
        private string Peek => i < t.Count ? t[i].Text : "";

        public long Ternary()
        {
            long c = Binary(0);
            if (Peek != "?") return c;
            i++;
            long a = Ternary();
            if (Peek == ":") i++;
            long b = Ternary();
            return c != 0 ? a : b;
        }

        private static int Prec(string op) => op switch
        {
            "||" => 1, "&&" => 2, "|" => 3, "^" => 4, "&" => 5, "==" or "!=" => 6,
            "<" or ">" or "<=" or ">=" => 7, "<<" or ">>" => 8, "+" or "-" => 9, "*" or "/" or "%" => 10, _ => -1,
        };

        private long Binary(int min)
        {
            long left = Unary();
            while (true)
            {
                string op = Peek;
                int p = Prec(op);
                if (p < 0 || p <= min - 1 || p < min) return left;
                i++;
                long right = Binary(p + 1);
                left = op switch
                {
                    "||" => left != 0 || right != 0 ? 1 : 0, "&&" => left != 0 && right != 0 ? 1 : 0,
                    "|" => left | right, "^" => left ^ right, "&" => left & right,
                    "==" => left == right ? 1 : 0, "!=" => left != right ? 1 : 0,
                    "<" => left < right ? 1 : 0, ">" => left > right ? 1 : 0, "<=" => left <= right ? 1 : 0, ">=" => left >= right ? 1 : 0,
                    "<<" => left << (int)(right & 63), ">>" => left >> (int)(right & 63),
                    "+" => left + right, "-" => left - right, "*" => left * right,
                    "/" => right == 0 ? 0 : left / right, _ => right == 0 ? 0 : left % right,
                };
            }
        }

        private long Unary()
        {
            string s = Peek;
            switch (s)
            {
                case "!": i++; return Unary() == 0 ? 1 : 0;
                case "-": i++; return -Unary();
                case "+": i++; return Unary();
                case "~": i++; return ~Unary();
                case "(":
                {
                    i++;
                    long v = Ternary();
                    if (Peek == ")") i++;
                    return v;
                }
            }
            if (i >= t.Count) throw new FormatException();
            var tok = t[i++];
            if (tok.Kind == CTokenKind.Number) return Number(tok.Text);
            if (tok.Kind == CTokenKind.Char) return tok.Text.Length >= 3 ? tok.Text[1] : 0;
            if (tok.Kind != CTokenKind.Identifier) return 0;
            switch (tok.Text)
            {
                case "defined":
                {
                    bool paren = Peek == "(";
                    if (paren) i++;
                    string name = i < t.Count ? t[i++].Text : "";
                    if (paren && Peek == ")") i++;
                    return IsDefined(name, defined, config) ? 1 : 0;
                }
                case "IS_ENABLED" or "IS_BUILTIN" or "IS_MODULE" or "IS_REACHABLE":
                {
                    string fn = tok.Text;
                    if (Peek == "(") i++;
                    string name = i < t.Count ? t[i++].Text : "";
                    if (Peek == ")") i++;
                    bool v = fn switch
                    {
                        "IS_BUILTIN" => config.IsBuiltin(name),
                        "IS_MODULE" => config.IsModule(name),
                        _ => config.IsEnabled(name),
                    };
                    return v ? 1 : 0;
                }
            }
            if (Peek == "(") // an unknown function-like macro in an #if (__has_attribute, …): 0
            {
                int depth = 0;
                do
                {
                    if (Peek == "(") depth++;
                    else if (Peek == ")") depth--;
                    i++;
                } while (depth > 0 && i < t.Count);
                return 0;
            }
            if (tok.Text.StartsWith("CONFIG_", StringComparison.Ordinal)) return config.Value(tok.Text);
            return defined.TryGetValue(tok.Text, out long d) ? d : 0;
        }
    }
}
