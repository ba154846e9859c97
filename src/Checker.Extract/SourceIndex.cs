using System.Collections.Concurrent;

namespace Checker.Extract;

/// <summary>A function definition: where it is, and its body's tokens (parsed into statements on first use).</summary>
public sealed class FunctionDef(string name, string file, int line, List<CToken> tokens, int open, int close)
{
    private BlockStmt? body;

    public string Name { get; } = name;
    /// <summary>The path relative to the source tree, with '/' separators.</summary>
    public string File { get; } = file;
    public int Line { get; } = line;
    internal List<CToken> Tokens { get; } = tokens;
    internal int Open { get; } = open;
    internal int Close { get; } = close;

    public BlockStmt Body => body ??= StatementParser.ParseBody(Tokens, Open, Close);

    public string Where => $"{File}:{Line}";
}

/// <summary><c>.field = function</c> in a designated initialiser: a function-pointer callback, and the function
/// (if any) whose body holds the initialiser.</summary>
public sealed record Initialiser(string Field, string Target, string File, int Line, string? Enclosing);

/// <summary>
/// The functions, function-like macros, SYSCALL_DEFINEs and designated initialisers of a kernel tree (or of a
/// fixture directory). Reads mm/, kernel/, include/linux/, include/asm-generic/ and, for the chosen arch,
/// arch/ARCH/mm/ and arch/ARCH/include/ — a directory with none of those is read whole. The .c files of mm/,
/// kernel/ (top level; all of kernel/ for the audit) and arch/ARCH/mm/ are read at once; a header only when a
/// name it may define (a quick look at its <c>static</c> and <c>#define NAME(</c> lines) is asked for. Where a
/// name is defined more than once, the arch's definition wins over the generic one (the arch override), then a .c
/// file's over a header's.
/// </summary>
public sealed class SourceIndex
{
    private readonly Dictionary<string, List<FunctionDef>> functions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MacroDef> macros = new(StringComparer.Ordinal);
    private readonly List<Initialiser> initialisers = [];
    private readonly List<FunctionDef> all = [];

    public string Root { get; }
    public string Arch { get; }
    public KernelConfig Config { get; }
    public int FileCount { get; private set; }
    public IReadOnlyList<FunctionDef> AllFunctions => all;
    public IReadOnlyList<Initialiser> Initialisers => initialisers;

    private SourceIndex(string root, string arch, KernelConfig config) => (Root, Arch, Config) = (root, arch, config);

    private static readonly string[] Arches = ["x86", "arm64"];

    public static IEnumerable<string> Dirs(string arch) =>
        ["mm", "kernel", "include/linux", "include/asm-generic", $"arch/{arch}/mm", $"arch/{arch}/include"];

    private readonly Dictionary<string, List<string>> headerCandidates = new(StringComparer.Ordinal);
    private readonly HashSet<string> loadedHeaders = new(StringComparer.Ordinal);

    /// <summary>Indexes a tree. <paramref name="allOfKernel"/>: read every .c file under kernel/ (the audit), not
    /// only its top level (drafts).</summary>
    public static SourceIndex Build(string root, KernelConfig config, string arch = "x86", bool allOfKernel = false)
    {
        var index = new SourceIndex(root, arch, config);
        var eager = new List<string>();
        var headers = new List<string>();
        bool any = false;
        foreach (var dir in Dirs(arch))
        {
            var full = Path.Combine(root, dir);
            if (!Directory.Exists(full)) continue;
            any = true;
            bool topOnly = dir == "kernel" && !allOfKernel;
            foreach (var f in Directory.EnumerateFiles(full, "*.*", topOnly ? SearchOption.TopDirectoryOnly : SearchOption.AllDirectories))
            {
                if (f.EndsWith(".c", StringComparison.Ordinal)) eager.Add(f);
                else if (f.EndsWith(".h", StringComparison.Ordinal))
                {
                    if (dir is "mm" or "kernel") eager.Add(f); else headers.Add(f);
                }
            }
        }
        if (!any)
            foreach (var f in Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories))
                if (f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".h", StringComparison.Ordinal)) eager.Add(f);
        eager.Sort(StringComparer.Ordinal);
        headers.Sort(StringComparer.Ordinal);
        index.Load(eager);
        var found = new List<(string, string)>[headers.Count];
        Parallel.For(0, headers.Count, k => found[k] = Candidates(headers[k]));
        for (int k = 0; k < headers.Count; k++)
            foreach (var (name, file) in found[k])
            {
                if (!index.headerCandidates.TryGetValue(name, out var list)) index.headerCandidates[name] = list = [];
                list.Add(file);
            }
        return index;
    }

    private void Load(List<string> files)
    {
        var results = new (string Rel, List<CToken> Tokens, List<MacroDef> Macros)[files.Count];
        Parallel.For(0, files.Count, k =>
        {
            string rel = Path.GetRelativePath(Root, files[k]).Replace('\\', '/');
            var (tokens, ms) = Preprocessor.Run(File.ReadAllText(files[k]), rel, Config);
            results[k] = (rel, tokens, ms);
        });
        FileCount += files.Count;
        foreach (var (rel, tokens, ms) in results)
        {
            foreach (var m in ms)
                if (!macros.TryGetValue(m.Name, out var old) || Rank(m.File, Arch) < Rank(old.File, Arch)) macros[m.Name] = m;
            Scan(rel, tokens);
        }
    }

    /// <summary>The names a header may define: the identifier before the first '(' of a line (or of the line
    /// after) that starts with <c>static</c>, and the name of each <c>#define NAME(</c>. Only a hint of where to
    /// look: the header is preprocessed properly when one of them is asked for.</summary>
    private static List<(string, string)> Candidates(string path)
    {
        var list = new List<(string, string)>();
        string? pending = null;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.AsSpan().TrimStart();
            if (pending is not null)
            {
                if (NameBeforeParen(line) is { } n) list.Add((n, path));
                pending = null;
            }
            if (line.StartsWith("static ") || line.StartsWith("extern "))
            {
                if (NameBeforeParen(line) is { } n) list.Add((n, path));
                else pending = "";
            }
            else if (line.StartsWith("#") && line[1..].TrimStart().StartsWith("define"))
            {
                var rest = line[1..].TrimStart()[6..].TrimStart();
                int k = 0;
                while (k < rest.Length && (char.IsAsciiLetterOrDigit(rest[k]) || rest[k] == '_')) k++;
                if (k > 0 && k < rest.Length && rest[k] == '(') list.Add((rest[..k].ToString(), path));
            }
        }
        return list;
    }

    private static string? NameBeforeParen(ReadOnlySpan<char> line)
    {
        int paren = line.IndexOf('(');
        if (paren <= 0) return null;
        int end = paren;
        while (end > 0 && line[end - 1] == ' ') end--;
        int start = end;
        while (start > 0 && (char.IsAsciiLetterOrDigit(line[start - 1]) || line[start - 1] == '_')) start--;
        return start < end ? line[start..end].ToString() : null;
    }

    /// <summary>Reads the headers that may define <paramref name="name"/>, once each.</summary>
    private void LoadHeadersFor(string name)
    {
        if (!headerCandidates.Remove(name, out var files)) return;
        var fresh = new List<string>();
        foreach (var f in files) if (loadedHeaders.Add(f)) fresh.Add(f);
        if (fresh.Count > 0) Load(fresh);
    }

    /// <summary>Lower is preferred: the arch's own files, then generic .c, then generic headers, then asm-generic.</summary>
    private static int Rank(string file, string arch)
    {
        if (file.StartsWith($"arch/{arch}/", StringComparison.Ordinal)) return 0;
        if (file.StartsWith("include/asm-generic/", StringComparison.Ordinal)) return 3;
        return file.EndsWith(".c", StringComparison.Ordinal) ? 1 : 2;
    }

    private static readonly HashSet<string> Attributes = new(StringComparer.Ordinal)
    {
        "__attribute__", "__attribute", "__printf", "__scanf", "__acquires", "__releases", "__must_hold", "__section",
        "__aligned", "__alloc_size", "__cond_acquires", "__cond_releases", "__malloc", "__realloc_size", "__assume_aligned",
        "__counted_by", "__diagnose_as", "__no_sanitize_address", "__nocfi", "__weak", "asm", "__asm__", "__deprecated",
        "__no_kcsan", "__must_check", "__noreturn", "noinline", "__always_inline", "__visible",
    };

    private static readonly HashSet<string> NotFunctions = new(StringComparer.Ordinal)
    {
        "if", "while", "for", "switch", "return", "sizeof", "typeof", "__typeof__",
    };

    /// <summary>Finds the top-level function definitions (NAME(…) … { … } with no '=' before the brace) and every
    /// designated initialiser <c>.field = name</c>.</summary>
    private void Scan(string file, List<CToken> t)
    {
        int depth = 0;
        int segment = 0; // first token of the current top-level declaration
        FunctionDef? current = null;
        for (int i = 0; i < t.Count; i++)
        {
            string s = t[i].Text;
            if (s == "." && i + 3 < t.Count && t[i + 1].IsIdent && t[i + 2].Text == "=")
            {
                int k = i + 3;
                if (t[k].Text == "&") k++;
                if (k + 1 < t.Count && t[k].IsIdent && t[k + 1].Text is "," or "}" or ";")
                    initialisers.Add(new Initialiser(t[i + 1].Text, t[k].Text, file, t[i].Line, current?.Name));
                continue;
            }
            if (s == "{")
            {
                if (depth == 0)
                {
                    var def = FunctionAt(file, t, segment, i);
                    current = def;
                    if (def is not null)
                    {
                        if (!functions.TryGetValue(def.Name, out var list)) functions[def.Name] = list = [];
                        list.Add(def);
                        all.Add(def);
                    }
                }
                depth++;
            }
            else if (s == "}")
            {
                if (--depth <= 0)
                {
                    depth = 0;
                    segment = i + 1;
                    current = null;
                }
            }
            else if (s == ";" && depth == 0) segment = i + 1;
        }
    }

    private static FunctionDef? FunctionAt(string file, List<CToken> t, int from, int brace)
    {
        if (brace == 0 || t[brace - 1].Text != ")" && !t[brace - 1].IsIdent) return null;
        int paren = 0;
        for (int k = from; k < brace; k++)
        {
            string s = t[k].Text;
            if (s is "=" && paren == 0) return null;
            if (s == "(") paren++;
            else if (s == ")") paren--;
        }
        for (int k = from; k + 1 < brace; k++)
        {
            if (!t[k].IsIdent || t[k + 1].Text != "(") continue;
            string name = t[k].Text;
            if (Attributes.Contains(name) || NotFunctions.Contains(name)) { k = Skip(t, k + 1, brace); continue; }
            if (name.StartsWith("SYSCALL_DEFINE", StringComparison.Ordinal) && k + 2 < brace && t[k + 2].IsIdent)
                name = "sys_" + t[k + 2].Text;
            int close = MatchBrace(t, brace);
            return new FunctionDef(name, file, t[k].Line, t, brace, close);
        }
        return null;
    }

    private static int Skip(List<CToken> t, int open, int limit)
    {
        int depth = 0;
        for (int k = open; k < limit; k++)
        {
            if (t[k].Text == "(") depth++;
            else if (t[k].Text == ")" && --depth == 0) return k;
        }
        return limit;
    }

    private static int MatchBrace(List<CToken> t, int open)
    {
        int depth = 0;
        for (int k = open; k < t.Count; k++)
        {
            if (t[k].Text == "{") depth++;
            else if (t[k].Text == "}" && --depth == 0) return k;
        }
        return t.Count - 1;
    }

    /// <summary>The definition of a function (the arch's, else a .c file's, else the first), or null.</summary>
    public FunctionDef? Function(string name)
    {
        LoadHeadersFor(name);
        if (!functions.TryGetValue(name, out var list)) return null;
        FunctionDef? best = null;
        foreach (var f in list)
            if (best is null || Rank(f.File, Arch) < Rank(best.File, Arch)) best = f;
        return best;
    }

    public MacroDef? Macro(string name)
    {
        LoadHeadersFor(name);
        return macros.TryGetValue(name, out var m) ? m : null;
    }

    /// <summary>The functions whose bodies mention <paramref name="name"/> as a call or as a designated
    /// initialiser's value (a callback), each with the line of the first mention.</summary>
    public List<(FunctionDef Caller, int Line, bool Callback)> Callers(string name)
    {
        var result = new ConcurrentBag<(FunctionDef, int, bool)>();
        Parallel.ForEach(all, f =>
        {
            var t = f.Tokens;
            for (int k = f.Open; k < f.Close; k++)
                if (t[k].Text == name && t[k].IsIdent)
                {
                    bool call = k + 1 < t.Count && t[k + 1].Text == "(";
                    bool callback = k >= 2 && t[k - 1].Text == "=" && t[k - 2].IsIdent && k >= 3 && t[k - 3].Text == ".";
                    if (call || callback)
                    {
                        result.Add((f, t[k].Line, callback));
                        break;
                    }
                }
        });
        var list = result.ToList();
        list.Sort((a, b) => string.CompareOrdinal(a.Item1.Where, b.Item1.Where));
        return list;
    }
}
