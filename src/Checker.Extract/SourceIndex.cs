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
/// arch/ARCH/mm/ and arch/ARCH/include/ — a directory with none of those is read whole. Where a name is defined
/// more than once, the arch's definition wins over the generic one (the arch override), then a .c file's over a
/// header's.
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

    public static SourceIndex Build(string root, KernelConfig config, string arch = "x86")
    {
        var index = new SourceIndex(root, arch, config);
        var files = new List<string>();
        foreach (var dir in Dirs(arch))
        {
            var full = Path.Combine(root, dir);
            if (Directory.Exists(full))
                foreach (var f in Directory.EnumerateFiles(full, "*.*", SearchOption.AllDirectories))
                    if (f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".h", StringComparison.Ordinal)) files.Add(f);
        }
        if (files.Count == 0)
            foreach (var f in Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories))
                if (f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".h", StringComparison.Ordinal)) files.Add(f);
        files.Sort(StringComparer.Ordinal);
        var results = new (string Rel, List<CToken> Tokens, List<MacroDef> Macros)[files.Count];
        Parallel.For(0, files.Count, k =>
        {
            string rel = Path.GetRelativePath(root, files[k]).Replace('\\', '/');
            var (tokens, ms) = Preprocessor.Run(File.ReadAllText(files[k]), rel, config);
            results[k] = (rel, tokens, ms);
        });
        index.FileCount = files.Count;
        foreach (var (rel, tokens, ms) in results)
        {
            foreach (var m in ms)
                if (!index.macros.TryGetValue(m.Name, out var old) || Rank(m.File, arch) < Rank(old.File, arch)) index.macros[m.Name] = m;
            index.Scan(rel, tokens);
        }
        return index;
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
        if (!functions.TryGetValue(name, out var list)) return null;
        FunctionDef? best = null;
        foreach (var f in list)
            if (best is null || Rank(f.File, Arch) < Rank(best.File, Arch)) best = f;
        return best;
    }

    public MacroDef? Macro(string name) => macros.TryGetValue(name, out var m) ? m : null;

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
