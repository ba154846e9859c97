using System.Collections.Immutable;
using System.Globalization;
using Checker.Text;
using Checker.Vocabulary;

namespace Checker.Language;

/// <summary>
/// Parses <c>.order</c> text (DESIGN §2) into an <see cref="Ordering"/>, collecting every diagnostic. Syntax is
/// checked line by line here; what needs the whole file (page set, profile, locks, gathers, thread names) is
/// checked by <see cref="OrderingValidator"/>. Never throws on bad input.
/// </summary>
public sealed partial class OrderingParser
{
    private readonly string file;
    private readonly List<Diagnostic> diagnostics = [];
    private readonly List<HeaderLine> headers = [];
    private readonly List<ThreadBlock> threads = [];
    private readonly List<string> pendingTrivia = [];
    private readonly Dictionary<string, int> singleHeaders = new(StringComparer.Ordinal);
    private readonly HashSet<int> threadsWithErrors = [];
    private ThreadBuilder? current;
    private int lineNo;
    private bool sawThreadLine;
    private bool sawOrphanOp;
    private int secondaries;

    private readonly int firstLine;

    private OrderingParser(string file, int firstLine)
    {
        this.file = file;
        this.firstLine = firstLine;
    }

    /// <summary>Parses and validates; <paramref name="file"/> names the input in diagnostics, and
    /// <paramref name="firstLine"/> is the line number of the text's first line (for orderings embedded in
    /// another file, such as a <c>.trace</c>).</summary>
    public static ParseResult Parse(string text, string file = "<input>", int firstLine = 1)
    {
        var parser = new OrderingParser(file, firstLine);
        if (text.Length > Limits.MaxFileBytes)
        {
            var tooBig = new Diagnostic(file, firstLine, 1, $"the file has {text.Length} characters; the limit is {Limits.MaxFileBytes} (1 MiB)",
                "an ordering describes one kernel path: split the file, or drop what the path does not need");
            return new ParseResult(null, ImmutableArray.Create(tooBig));
        }
        var ordering = parser.Run(text);
        var all = parser.diagnostics;
        if (ordering is not null)
            all.AddRange(OrderingValidator.Validate(ordering, file, parser.threadsWithErrors));
        all.Sort(static (a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column));
        var diagnosticArray = all.ToImmutableArray();
        bool errors = false;
        foreach (var d in diagnosticArray) errors |= !d.IsWarning;
        return new ParseResult(errors ? null : ordering, diagnosticArray);
    }

    /// <summary>The default ordering name for a path: the file name without its extension.</summary>
    public static string DefaultNameFor(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return string.IsNullOrEmpty(name) ? "ordering" : name;
    }

    private Ordering? Run(string text)
    {
        var lines = text.Split('\n');
        int count = lines.Length;
        if (count > 0 && lines[count - 1].Length == 0) count--; // a final newline does not start a line
        for (int i = 0; i < count; i++)
        {
            lineNo = firstLine + i;
            ParseLine(lines[i].TrimEnd('\r'));
        }
        FinishThread();
        if (!sawThreadLine && !sawOrphanOp)
            Error(firstLine + Math.Max(count, 1) - 1, 1, "no thread in this ordering", "add a 'thread NAME' block with the path's ops, indented under it");
        return new Ordering(headers.ToImmutableArray(), threads.ToImmutableArray())
        {
            TrailingTrivia = pendingTrivia.ToImmutableArray(),
            DefaultName = DefaultNameFor(file),
        };
    }

    private void ParseLine(string raw)
    {
        int hash = raw.IndexOf('#');
        string code = hash >= 0 ? raw[..hash] : raw;
        string? comment = hash >= 0 ? raw[hash..].TrimEnd() : null;
        var tokens = Tokenize(code);
        if (tokens.Count == 0)
        {
            pendingTrivia.Add(raw.TrimEnd());
            return;
        }
        var trivia = TakeTrivia(comment);
        bool indented = char.IsWhiteSpace(raw[0]);
        if (indented)
        {
            if (current is null)
            {
                sawOrphanOp = true;
                Error(tokens[0], $"'{tokens[0].Text}' is indented but no thread has started",
                    "start a block with 'thread NAME' above it, or remove the indentation if it is a header line");
                return;
            }
            if (current.Ops.Count == Limits.MaxOpsPerThread)
            {
                if (!current.Overflowed)
                    Error(tokens[0], $"thread '{current.Name}' has more than {Limits.MaxOpsPerThread} ops",
                        "split the path into several threads or orderings; each op is one atomic step of the model");
                current.Overflowed = true;
                threadsWithErrors.Add(threads.Count);
                return;
            }
            var op = ParseOp(tokens);
            if (op is null) threadsWithErrors.Add(threads.Count);
            else current.Ops.Add(op with { Trivia = trivia, Pos = Pos(tokens[0]) });
            return;
        }

        string keyword = tokens[0].Text;
        if (keyword == "thread")
        {
            sawThreadLine = true;
            FinishThread();
            if (threads.Count >= Limits.MaxThreads)
            {
                // said once, at the first thread too many (like the ops limit), not once per extra thread
                if (threads.Count == Limits.MaxThreads)
                    Error(tokens[0], $"more than {Limits.MaxThreads} threads",
                        $"the model runs at most {Limits.MaxThreads} threads; keep the threads that take part in the race");
                threadsWithErrors.Add(threads.Count);
            }
            ParseThreadHeader(tokens, trivia);
            return;
        }
        if (Array.IndexOf(Words.Headers, keyword) >= 0)
        {
            if (current is not null || threads.Count > 0)
            {
                Error(tokens[0], $"header line '{keyword}' after the first thread",
                    "move header lines above the first 'thread' line");
                return;
            }
            var header = ParseHeader(keyword, tokens, code);
            if (header is null) return;
            if (IsSingleValued(header))
            {
                string key = header is HeaderLine.Expect ? "expect" : header.Keyword;
                if (singleHeaders.TryGetValue(key, out int firstLine))
                {
                    Error(tokens[0], $"duplicate '{key}' line (first at line {firstLine})", "keep one of them");
                    return;
                }
                singleHeaders[key] = lineNo;
            }
            if (header is HeaderLine.Sva or HeaderLine.Shadow && ++secondaries > Limits.MaxSecondaries)
            {
                Error(tokens[0], $"more than {Limits.MaxSecondaries} secondary lines",
                    $"the model attaches at most {Limits.MaxSecondaries} secondary MMUs; keep one per driver flavor that matters");
                return;
            }
            headers.Add(header with { Trivia = trivia });
            return;
        }
        if (OpInfo.TryGet(keyword, out _) || keyword == "if")
        {
            Error(tokens[0], $"op '{keyword}' is not indented",
                current is null && threads.Count == 0
                    ? "ops belong to a thread: write 'thread NAME' first and indent the ops under it"
                    : "indent ops under their 'thread' line");
            return;
        }
        var suggestion = Suggest.Closest(keyword, Words.Headers);
        Error(tokens[0], $"unknown header '{keyword}'",
            suggestion is not null ? $"did you mean '{suggestion}'?" : "header lines are: " + string.Join(", ", Words.Headers));
    }

    private static bool IsSingleValued(HeaderLine header) =>
        header is not (HeaderLine.ReadOnly or HeaderLine.Unmapped or HeaderLine.Sva or HeaderLine.Shadow or HeaderLine.Source
            or HeaderLine.Huge or HeaderLine.GupFast // §7: huge and gup_fast repeat
            or HeaderLine.File or HeaderLine.Alias or HeaderLine.Lazyfree // §8: repeatable
            or HeaderLine.Patch); // issue 15: one line per rule

    private Trivia TakeTrivia(string? trailing)
    {
        if (pendingTrivia.Count == 0 && trailing is null) return Trivia.None;
        var trivia = new Trivia(pendingTrivia.ToImmutableArray(), trailing);
        pendingTrivia.Clear();
        return trivia;
    }

    // ---- headers ----

    private HeaderLine? ParseHeader(string keyword, List<Token> t, string code)
    {
        var pos = Pos(t[0]);
        switch (keyword)
        {
            case "ordering":
            {
                string name = code[(t[0].Column - 1 + keyword.Length)..].Trim();
                if (name.Length >= 2 && name[0] == '"' && name[^1] == '"') name = name[1..^1].Trim();
                if (name.Length == 0)
                {
                    Error(t[0], "ordering needs a name", "write 'ordering NAME'");
                    return null;
                }
                return new HeaderLine.Name(name, pos);
            }
            case "source":
            {
                string text = code[(t[0].Column - 1 + keyword.Length)..].Trim();
                if (text.Length == 0)
                {
                    Error(t[0], "source needs a text", "write the functions, files and commits this ordering encodes");
                    return null;
                }
                return new HeaderLine.Source(text, pos);
            }
            case "kernel":
                if (!Arity(t, 1, 1, "a mainline release X.Y (3.10 or later)", "kernel 5.10")) return null;
                if (!KernelRelease.TryParse(t[1].Text, out var release, out var problem))
                {
                    Error(t[1], problem!, $"write a mainline release from {KernelRelease.Oldest} to {KernelRelease.NewestKnown}, e.g. 'kernel 5.10' ('checker list' prints the release rules)");
                    return null;
                }
                if (release.IsNewerThanKnown)
                    Warn(t[1], $"kernel {release} is newer than the newest release the rule table knows ({KernelRelease.NewestKnown})",
                        $"it is modelled as {KernelRelease.NewestKnown}; check that no rule changed since");
                return new HeaderLine.Kernel(release, pos);
            case "arch":
                if (!Arity(t, 1, 1, "an architecture (x86 or arm64)", "arch arm64")) return null;
                if (!Words.TryArch(t[1].Text, out var arch))
                {
                    Error(t[1], $"unknown arch '{t[1].Text}'", "use x86 or arm64");
                    return null;
                }
                return new HeaderLine.ArchLine(arch, pos);
            case "pages":
                if (!Arity(t, 1, 1, "a count (1-64)", "pages 4")) return null;
                return Count(t[1], 1, Limits.MaxPages, "pages", $"the model maps at most {Limits.MaxPages} user pages (one bit each in a 64-bit mask)") is int pages
                    ? new HeaderLine.Pages(pages, pos)
                    : null;
            case "cpus":
                if (!Arity(t, 1, 1, "a count (0-8)", "cpus 1")) return null;
                return Count(t[1], 0, Limits.MaxCpus, "cpus", $"use 0 to {Limits.MaxCpus} user CPUs") is int cpus ? new HeaderLine.Cpus(cpus, pos) : null;
            case "readonly":
            case "unmapped":
            {
                int i = 1;
                var range = ParseRange(t, ref i, keyword, "a page range (A B or P)", $"{keyword} 0 2");
                if (range is null || !NoMore(t, i, keyword, "a page range (A B or P)")) return null;
                return keyword == "readonly" ? new HeaderLine.ReadOnly(range, pos) : new HeaderLine.Unmapped(range, pos);
            }
            case "secondary":
                return ParseSecondary(t, pos);
            // issue 15: a helper change
            case "patch":
                return ParsePatch(t, pos);
            // §8 dirty data (issue 13)
            case "file":
            case "lazyfree":
            {
                int i = 1;
                var range = ParseRange(t, ref i, keyword, "a page range (A B or P)", $"{keyword} 0 2");
                if (range is null || !NoMore(t, i, keyword, "a page range (A B or P)")) return null;
                return keyword == "file" ? new HeaderLine.File(range, pos) : new HeaderLine.Lazyfree(range, pos);
            }
            case "alias":
            {
                if (!Arity(t, 2, 2, "two pages (Q P: page Q maps P's frame)", "alias 1 0")) return null;
                int i = 1;
                var q = ParseSingle(t, ref i, keyword, "two pages (Q P)", "alias 1 0");
                if (q is null) return null;
                var target = ParseSingle(t, ref i, keyword, "two pages (Q P)", "alias 1 0");
                if (target is null) return null;
                return new HeaderLine.Alias(q, target, pos);
            }
            case "reuse":
                if (!Arity(t, 1, 1, "'on' or 'off'", "reuse off")) return null;
                if (t[1].Text is not ("on" or "off"))
                {
                    Error(t[1], $"expected 'on' or 'off', found '{t[1].Text}'", "write 'reuse on' or 'reuse off'");
                    return null;
                }
                return new HeaderLine.Reuse(t[1].Text == "on", pos);
            case "environment":
                if (!Arity(t, 1, 1, "'generated' or 'explicit'", "environment explicit")) return null;
                if (t[1].Text is not ("generated" or "explicit"))
                {
                    Error(t[1], $"expected 'generated' or 'explicit', found '{t[1].Text}'",
                        "generated lets CPUs, devices, shadows and the allocator act at random; explicit runs only the file's threads");
                    return null;
                }
                return new HeaderLine.Environment(t[1].Text == "explicit", pos);
            // §7 the page-table tree
            case "pagetables":
                return Arity(t, 0, 0, "no arguments", "pagetables") ? new HeaderLine.PageTables(pos) : null;
            case "hugepage":
                if (!Arity(t, 1, 1, "a span in pages", "hugepage 2")) return null;
                return Count(t[1], 1, Limits.MaxPages, "hugepage", "H pages per PTE table and per huge page; H divides 'pages'") is int h
                    ? new HeaderLine.HugePage(h, pos)
                    : null;
            case "huge":
            {
                int i = 1;
                var range = ParseRange(t, ref i, keyword, "a page range (A B or P)", "huge 0 2");
                if (range is null || !NoMore(t, i, keyword, "a page range (A B or P)")) return null;
                return new HeaderLine.Huge(range, pos);
            }
            case "kernel_pages":
                if (!Arity(t, 1, 1, "a count (0-16)", "kernel_pages 2")) return null;
                return Count(t[1], 0, 16, "kernel_pages", "the model has at most 16 kernel pages") is int k ? new HeaderLine.KernelPages(k, pos) : null;
            case "gup_fast":
            {
                if (t.Count == 1) return new HeaderLine.GupFast(0, false, pos);
                if (t[1].Text != "mm" || t.Count < 3)
                {
                    Error(t[1], $"expected 'mm M' after gup_fast, found '{t[1].Text}'", "write 'gup_fast' or 'gup_fast mm 1'");
                    return null;
                }
                if (Count(t[2], 0, 1, "gup_fast mm", "mm 0 is the ordering's mm, mm 1 the mm2 header's") is not int m) return null;
                return NoMore(t, 3, "gup_fast", "'mm M'") ? new HeaderLine.GupFast(m, true, pos) : null;
            }
            case "mm2":
            {
                int mm2Cpus = 0;
                bool shared = false;
                for (int i = 1; i < t.Count; i++)
                {
                    if (t[i].Text == "shared-pmd") shared = true;
                    else if (t[i].Text == "cpus" && i + 1 < t.Count && Count(t[i + 1], 0, Limits.MaxCpus, "mm2 cpus", "K more CPUs run mm 1") is int more)
                    {
                        mm2Cpus = more;
                        i++;
                    }
                    else
                    {
                        Error(t[i], $"unexpected '{t[i].Text}' after mm2", "write 'mm2 [cpus K] [shared-pmd]'");
                        return null;
                    }
                }
                return new HeaderLine.Mm2(mm2Cpus, shared, pos);
            }
            default: // expect
                return ParseExpect(t, pos);
        }
    }

    private HeaderLine? ParseSecondary(List<Token> t, SourcePos pos)
    {
        if (t.Count < 2)
        {
            Error(t[0], "secondary needs a kind", "write 'secondary sva FLAVOR' or 'secondary shadow'");
            return null;
        }
        if (t[1].Text == "sva")
        {
            if (t.Count < 3)
            {
                Error(t[1], "secondary sva needs a driver flavor", "use one of " + string.Join(", ", Words.Flavors));
                return null;
            }
            if (!Words.TryFlavor(t[2].Text, out var flavor))
            {
                var s = Suggest.Closest(t[2].Text, Words.Flavors);
                Error(t[2], $"unknown driver flavor '{t[2].Text}'",
                    s is not null ? $"did you mean '{s}'?" : "use one of " + string.Join(", ", Words.Flavors));
                return null;
            }
            bool keeps = false;
            if (t.Count >= 4)
            {
                if (t[3].Text != "keeps-entry-on-fault")
                {
                    Error(t[3], $"unexpected '{t[3].Text}' after the flavor", "the only option is 'keeps-entry-on-fault'");
                    return null;
                }
                keeps = true;
            }
            if (!NoMore(t, 4, "secondary sva", "a flavor and an optional 'keeps-entry-on-fault'")) return null;
            return new HeaderLine.Sva(flavor, keeps, pos);
        }
        if (t[1].Text == "shadow")
        {
            var mode = ShadowMode.Interval;
            bool written = false;
            if (t.Count >= 3)
            {
                if (!Words.TryShadowMode(t[2].Text, out mode))
                {
                    Error(t[2], $"unknown shadow mode '{t[2].Text}'", "use 'interval' (the default) or 'no-retry'");
                    return null;
                }
                written = true;
            }
            if (!NoMore(t, 3, "secondary shadow", "an optional 'interval' or 'no-retry'")) return null;
            return new HeaderLine.Shadow(mode, written, pos);
        }
        Error(t[1], $"unknown secondary kind '{t[1].Text}'",
            "use 'sva' (shared-table IOMMU device) or 'shadow' (shadow-table secondary MMU)");
        return null;
    }

    private HeaderLine? ParseExpect(List<Token> t, SourcePos pos)
    {
        if (t.Count < 2)
        {
            Error(t[0], "expect needs 'pass' or 'violation ID…'", "write 'expect pass' or e.g. 'expect violation use-after-free'");
            return null;
        }
        if (t[1].Text == "pass")
            return NoMore(t, 2, "expect pass", "nothing after 'pass'")
                ? new HeaderLine.Expect(EquatableArray<InvariantId>.Empty, pos)
                : null;
        if (t[1].Text != "violation")
        {
            Error(t[1], $"expected 'pass' or 'violation', found '{t[1].Text}'", "write 'expect pass' or 'expect violation ID…'");
            return null;
        }
        if (t.Count < 3)
        {
            Error(t[1], "expect violation needs at least one invariant id", "e.g. 'expect violation stale-secondary-after-flush'");
            return null;
        }
        var ids = ImmutableArray.CreateBuilder<InvariantId>();
        bool ok = true;
        for (int i = 2; i < t.Count; i++)
        {
            if (Invariant.TryParse(t[i].Text, out var id))
            {
                ids.Add(id);
                continue;
            }
            var s = Suggest.Closest(t[i].Text, Invariant.Names);
            Error(t[i], $"unknown invariant '{t[i].Text}'",
                s is not null ? $"did you mean '{s}'?" : "the invariants are: " + string.Join(", ", Invariant.Names));
            ok = false;
        }
        return ok ? new HeaderLine.Expect(ids.ToImmutable(), pos) : null;
    }

    // ---- threads ----

    private void ParseThreadHeader(List<Token> t, Trivia trivia)
    {
        if (t.Count < 2)
        {
            Error(t[0], "thread needs a name", "write 'thread NAME' (a kernel thread) or 'thread NAME cpu|device|shadow K'");
            return;
        }
        string name = t[1].Text;
        if (!IsName(name))
        {
            Error(t[1], $"'{name}' is not a thread name", "use letters, digits, '_', '-' or '.'");
            return;
        }
        var kind = ThreadKind.Kernel;
        int index = 0;
        if (t.Count >= 3)
        {
            switch (t[2].Text)
            {
                case "cpu": kind = ThreadKind.Cpu; break;
                case "device": kind = ThreadKind.Device; break;
                case "shadow": kind = ThreadKind.Shadow; break;
                // §7: a kernel thread of mm 1 (thread NAME mm 1)
                case "mm":
                    if (t.Count < 4)
                    {
                        Error(t[2], $"thread {name} mm needs the mm", $"write 'thread {name} mm 1'");
                        threadsWithErrors.Add(threads.Count);
                    }
                    else if (Count(t[3], 0, 1, "thread mm", "mm 0 is the ordering's mm, mm 1 the mm2 header's") is int mm)
                    {
                        NoMore(t, 4, $"thread {name} mm", "the mm");
                        current = new ThreadBuilder(name, ThreadKind.Kernel, 0, Pos(t[0]), trivia) { Mm = mm };
                        return;
                    }
                    else threadsWithErrors.Add(threads.Count);
                    current = new ThreadBuilder(name, ThreadKind.Kernel, 0, Pos(t[0]), trivia);
                    return;
                case "gup": kind = ThreadKind.Gup; break; // §7: an explicit GUP-fast walker
                default:
                    Error(t[2], $"unknown thread kind '{t[2].Text}'",
                        "write 'thread NAME' for a kernel thread, or 'thread NAME cpu K', 'device K' or 'shadow K'");
                    current = new ThreadBuilder(name, ThreadKind.Kernel, 0, Pos(t[0]), trivia);
                    threadsWithErrors.Add(threads.Count);
                    return;
            }
            if (t.Count < 4)
            {
                Error(t[2], $"thread {name} {t[2].Text} needs an index", $"write 'thread {name} {t[2].Text} 0'");
                threadsWithErrors.Add(threads.Count);
            }
            else if (Count(t[3], 0, 63, $"{t[2].Text} index", "an index counts from 0") is int k)
            {
                index = k;
                NoMore(t, 4, $"thread {name} {t[2].Text}", "an index");
            }
            else threadsWithErrors.Add(threads.Count);
        }
        current = new ThreadBuilder(name, kind, index, Pos(t[0]), trivia);
    }

    private void FinishThread()
    {
        if (current is null) return;
        threads.Add(new ThreadBlock(current.Name, current.Kind, current.Index, current.Ops.ToImmutableArray())
        {
            Mm = current.Mm, // §7
            Pos = current.Pos,
            Trivia = current.Trivia,
        });
        current = null;
    }

    private static bool IsName(string s)
    {
        foreach (char c in s)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')) return false;
        return s.Length > 0;
    }

    // ---- ops ----

    private OpLine? ParseOp(List<Token> t)
    {
        int i = 0;
        Condition? condition = null;
        if (t[0].Text == "if")
        {
            condition = ParseCondition(t, ref i);
            if (condition is null) return null;
        }
        var nameToken = t[i];
        if (!OpInfo.TryGet(nameToken.Text, out var info))
        {
            var names = new List<string>();
            foreach (var o in OpInfo.All) names.Add(o.Name);
            var s = Suggest.Closest(nameToken.Text, names);
            Error(nameToken, $"unknown op '{nameToken.Text}'",
                s is not null ? $"did you mean '{s}'?" : "'checker list' prints every op with its arguments");
            return null;
        }
        i++;
        string what = ShapeText(info.Shape);
        string example = info.Name + ExampleArgs(info.Shape);
        OpLine? op = null;
        switch (info.Shape)
        {
            case ArgShape.None:
                op = new OpLine(info.Code);
                break;
            case ArgShape.LockName:
                if (i >= t.Count)
                {
                    Error(nameToken, $"{info.Name} needs {what}", $"write e.g. '{example}'");
                    return null;
                }
                if (!IsName(t[i].Text))
                {
                    Error(t[i], $"'{t[i].Text}' is not a lock name", "use letters, digits, '_', '-' or '.'");
                    return null;
                }
                op = new OpLine(info.Code, LockName: t[i].Text);
                i++;
                break;
            case ArgShape.Range:
            case ArgShape.Page:
            case ArgShape.OptionalRange:
            {
                if (info.Shape == ArgShape.OptionalRange && i >= t.Count)
                {
                    op = new OpLine(info.Code);
                    break;
                }
                var range = info.Shape == ArgShape.Page
                    ? ParseSingle(t, ref i, info.Name, what, example)
                    : ParseRange(t, ref i, info.Name, what, example);
                if (range is null) return null;
                op = new OpLine(info.Code, Range: range);
                break;
            }
            case ArgShape.RangeOptionalRo:
            {
                var range = ParseRange(t, ref i, info.Name, what, example);
                if (range is null) return null;
                bool ro = false;
                if (i < t.Count)
                {
                    if (t[i].Text != "ro")
                    {
                        Error(t[i], $"expected 'ro' or nothing after the range, found '{t[i].Text}'",
                            $"write '{info.Name} {range}' for a writable PTE or '{info.Name} {range} ro'");
                        return null;
                    }
                    ro = true;
                    i++;
                }
                op = new OpLine(info.Code, Range: range, ReadOnly: ro);
                break;
            }
            case ArgShape.RangeProtection:
            {
                var range = ParseRange(t, ref i, info.Name, what, example);
                if (range is null) return null;
                if (i >= t.Count)
                {
                    Error(nameToken, $"{info.Name} needs 'ro' or 'rw' after its range", $"write e.g. '{info.Name} {range} ro'");
                    return null;
                }
                if (t[i].Text is not ("ro" or "rw"))
                {
                    Error(t[i], $"expected 'ro' or 'rw', found '{t[i].Text}'", "'ro' downgrades, 'rw' upgrades");
                    return null;
                }
                op = new OpLine(info.Code, Range: range, ReadOnly: t[i].Text == "ro");
                i++;
                break;
            }
            case ArgShape.Move:
            {
                var range = ParseRange(t, ref i, info.Name, what, example);
                if (range is null) return null;
                if (range.IsSingle)
                {
                    Error(nameToken, $"{info.Name} needs {what}", $"write e.g. '{example}'");
                    return null;
                }
                var dest = ParseBound(t, ref i, info.Name, what, example);
                if (dest is null) return null;
                op = new OpLine(info.Code, Range: range, Destination: dest);
                break;
            }
            case ArgShape.Wait:
            {
                var page = ParseSingle(t, ref i, info.Name, what, example);
                if (page is null) return null;
                if (i >= t.Count)
                {
                    Error(nameToken, $"{info.Name} needs a state after the page", $"write e.g. '{info.Name} {page} none'");
                    return null;
                }
                if (!Words.TryPteState(t[i].Text, out var state))
                {
                    Error(t[i], $"unknown PTE state '{t[i].Text}'", "use none, present, readonly or writable");
                    return null;
                }
                op = new OpLine(info.Code, Range: page, Wait: state);
                i++;
                break;
            }
            // §7 the page-table tree
            case ArgShape.PageOptionalWord:
            {
                var page = ParseSingle(t, ref i, info.Name, what, example);
                if (page is null) return null;
                string word = info.Code == OpCode.PteFreeTlb ? "nobatch" : "ro";
                bool flag = false;
                if (i < t.Count)
                {
                    if (t[i].Text != word)
                    {
                        Error(t[i], $"expected '{word}' or nothing after the page, found '{t[i].Text}'", $"write '{info.Name} {page}' or '{info.Name} {page} {word}'");
                        return null;
                    }
                    flag = true;
                    i++;
                }
                op = new OpLine(info.Code, Range: page, ReadOnly: flag);
                break;
            }
            case ArgShape.PageMove:
            {
                var page = ParseSingle(t, ref i, info.Name, what, example);
                if (page is null) return null;
                var dest = ParseBound(t, ref i, info.Name, what, example);
                if (dest is null) return null;
                op = new OpLine(info.Code, Range: page, Destination: dest);
                break;
            }
            case ArgShape.EnvPage:
            {
                if (i >= t.Count)
                {
                    Error(nameToken, $"{info.Name} needs {what}", $"write e.g. '{example}'");
                    return null;
                }
                if (!Bound.TryParse(t[i].Text, out var b, out _) || b.Kind is not (BoundKind.Page or BoundKind.Kernel))
                {
                    Error(t[i], $"expected a page number after {info.Name}, found '{t[i].Text}'",
                        "environment accesses name one user page, 0 to pages-1");
                    return null;
                }
                op = new OpLine(info.Code, Range: new RangeArg(b with { Pos = Pos(t[i]) }, null, Pos(t[i])));
                i++;
                break;
            }
        }
        if (!NoMore(t, i, info.Name, what)) return null;
        return op! with { If = condition, NamePos = Pos(nameToken) };
    }

    private Condition? ParseCondition(List<Token> t, ref int i)
    {
        if (t.Count < 3)
        {
            Error(t[0], "if needs a condition and an op", "write 'if COND OP ARGS…', e.g. 'if tlb_flush_batched flush_tlb_mm'");
            return null;
        }
        var c = t[1];
        bool negated = c.Text.StartsWith('!');
        string name = negated ? c.Text[1..] : c.Text;
        if (!Words.TryCondition(name, out var kind))
        {
            var s = Suggest.Closest(name, Words.Conditions);
            Error(c, $"unknown condition '{c.Text}'",
                s is not null ? $"did you mean '{(negated ? "!" : "")}{s}'?" : "conditions are: " + string.Join(", ", Words.Conditions) + " (each negatable with '!')");
            return null;
        }
        i = 2;
        RangeArg? page = null;
        if (Condition.TakesPage(kind))
        {
            page = ParseSingle(t, ref i, name, "a page (P)", name + " 0");
            if (page is null) return null;
        }
        Condition? or = null;
        if (i < t.Count && t[i].Text == "or") // §8: if C1 or C2 OP
        {
            var orToken = t[i];
            if (i + 1 >= t.Count)
            {
                Error(orToken, "'or' needs a second condition", "write 'if C1 or C2 OP ARGS…'");
                return null;
            }
            var c2 = t[i + 1];
            bool negated2 = c2.Text.StartsWith('!');
            string name2 = negated2 ? c2.Text[1..] : c2.Text;
            if (!Words.TryCondition(name2, out var kind2))
            {
                var s2 = Suggest.Closest(name2, Words.Conditions);
                Error(c2, $"unknown condition '{c2.Text}'",
                    s2 is not null ? $"did you mean '{(negated2 ? "!" : "")}{s2}'?" : "conditions are: " + string.Join(", ", Words.Conditions) + " (each negatable with '!')");
                return null;
            }
            i += 2;
            RangeArg? page2 = null;
            if (Condition.TakesPage(kind2))
            {
                page2 = ParseSingle(t, ref i, name2, "a page (P)", name2 + " 0");
                if (page2 is null) return null;
            }
            if (i < t.Count && t[i].Text == "or")
            {
                Error(t[i], "at most two conditions joined by 'or'", "split the op into two 'if' lines or two orderings");
                return null;
            }
            or = new Condition(kind2, negated2, page2, Pos(c2));
        }
        if (i >= t.Count)
        {
            Error(c, $"if {c.Text} needs an op to run", "write the op after the condition");
            return null;
        }
        return new Condition(kind, negated, page, Pos(c)) { Or = or };
    }

    private RangeArg? ParseRange(List<Token> t, ref int i, string op, string what, string example)
    {
        int start = i;
        var first = ParseBound(t, ref i, op, what, example);
        if (first is null) return null;
        Bound? second = null;
        if (i < t.Count && Bound.LooksLikeBound(t[i].Text))
        {
            second = ParseBound(t, ref i, op, what, example);
            if (second is null) return null;
        }
        return new RangeArg(first.Value, second, Pos(t[start]));
    }

    private RangeArg? ParseSingle(List<Token> t, ref int i, string op, string what, string example)
    {
        int start = i;
        var b = ParseBound(t, ref i, op, what, example);
        return b is null ? null : new RangeArg(b.Value, null, Pos(t[start]));
    }

    private Bound? ParseBound(List<Token> t, ref int i, string op, string what, string example)
    {
        if (i >= t.Count)
        {
            Error(t[^1], $"{op} needs {what}", $"write e.g. '{example}'");
            return null;
        }
        if (Bound.TryParse(t[i].Text, out var bound, out var error))
        {
            bound = bound with { Pos = Pos(t[i]) };
            i++;
            return bound;
        }
        Error(t[i], error ?? $"expected a page number, ~0 or a hex address after {op}, found '{t[i].Text}'",
            error is not null ? "page numbers are decimal; addresses are hex (0x1000); ~0 is ULONG_MAX" : $"{op} takes {what}, e.g. '{example}'");
        return null;
    }

    private bool Arity(List<Token> t, int min, int max, string what, string example)
    {
        int args = t.Count - 1;
        if (args < min)
        {
            Error(t[0], $"{t[0].Text} needs {what}", $"write e.g. '{example}'");
            return false;
        }
        return NoMore(t, 1 + max, t[0].Text, what);
    }

    private bool NoMore(List<Token> t, int i, string op, string what)
    {
        if (i >= t.Count) return true;
        Error(t[i], $"unexpected '{t[i].Text}' after {op}", $"{op} takes {what}; remove the extra argument");
        return false;
    }

    private int? Count(Token token, int min, int max, string what, string hint)
    {
        if (!int.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
        {
            Error(token, $"{what} must be a number from {min} to {max}, found '{token.Text}'", hint);
            return null;
        }
        return n;
    }

    private static string ShapeText(ArgShape shape) => shape switch
    {
        ArgShape.None => "no arguments",
        ArgShape.LockName => "a lock name",
        ArgShape.Range => "a range (A B or P)",
        ArgShape.Page => "a page (P)",
        ArgShape.RangeOptionalRo => "a range and an optional 'ro'",
        ArgShape.RangeProtection => "a range and 'ro' or 'rw'",
        ArgShape.OptionalRange => "an optional range (A B)",
        ArgShape.Move => "a source range and a destination (A B D)",
        ArgShape.Wait => "a page and a state (P none|present|readonly|writable)",
        ArgShape.PageOptionalWord => "a page and an optional word (P [ro] or P [nobatch])",
        ArgShape.PageMove => "a page and a destination page (P D)",
        _ => "a page number (P)",
    };

    private static string ExampleArgs(ArgShape shape) => shape switch
    {
        ArgShape.None => "",
        ArgShape.LockName => " i_mmap",
        ArgShape.Range or ArgShape.OptionalRange => " 0 2",
        ArgShape.Page or ArgShape.EnvPage => " 1",
        ArgShape.RangeOptionalRo => " 0 2 ro",
        ArgShape.RangeProtection => " 0 2 ro",
        ArgShape.Move => " 0 2 4",
        ArgShape.PageOptionalWord => " 0",
        ArgShape.PageMove => " 0 2",
        _ => " 1 none",
    };

    // ---- tokens and errors ----

    private static List<Token> Tokenize(string code)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < code.Length)
        {
            while (i < code.Length && (code[i] == ' ' || code[i] == '\t')) i++;
            if (i >= code.Length) break;
            int start = i;
            while (i < code.Length && code[i] != ' ' && code[i] != '\t') i++;
            tokens.Add(new Token(code[start..i], start + 1));
        }
        return tokens;
    }

    private SourcePos Pos(Token token) => new(lineNo, token.Column);

    private void Error(Token token, string message, string hint) => Error(lineNo, token.Column, message, hint);

    private void Error(int line, int column, string message, string hint) =>
        diagnostics.Add(new Diagnostic(file, line, column, message, hint));

    private void Warn(Token token, string message, string hint) =>
        diagnostics.Add(new Diagnostic(file, lineNo, token.Column, message, hint) { IsWarning = true });

    private readonly record struct Token(string Text, int Column);

    private sealed class ThreadBuilder(string name, ThreadKind kind, int index, SourcePos pos, Trivia trivia)
    {
        public string Name { get; } = name;
        public ThreadKind Kind { get; } = kind;
        public int Index { get; } = index;
        public SourcePos Pos { get; } = pos;
        public Trivia Trivia { get; } = trivia;
        public List<OpLine> Ops { get; } = [];
        public int Mm { get; init; } // §7: thread NAME mm 1
        public bool Overflowed { get; set; }
    }
}
