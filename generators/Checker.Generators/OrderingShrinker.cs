using System.Globalization;
using Checker.Language;

namespace Checker.Generators;

/// <summary>
/// FsCheck's shrinker for orderings: candidates, simplest first, each a valid ordering (it parses) that is
/// strictly smaller — shorter text, or as long with smaller numbers — so shrinking always ends. In order: drop
/// a thread; drop a bracketed block whole (a lock and its unlock, a notifier start and its end, a gather and
/// its finish, with what they enclose); drop one op that is no bracket; drop a bracket pair keeping its body;
/// drop an op's <c>if</c>; drop a secondary line, <c>readonly</c>, <c>reuse off</c>, <c>keeps-entry-on-fault</c>;
/// fewer CPUs; fewer pages (clamping page numbers); simpler ranges (a strange range to page 0, a range to its
/// first page, one page shorter), renamed together on a notifier start and its end so they stay matched.
/// Locks, notifier start/end and gathers stay balanced: a bracket is only ever dropped with its partner.
/// </summary>
public static class OrderingShrinker
{
    private static readonly (string Open, string[] Close)[] Brackets =
    [
        ("mmap_read_lock", ["mmap_read_unlock"]),
        ("mmap_write_lock", ["mmap_write_unlock"]),
        ("ptl_lock", ["ptl_unlock"]),
        ("lock", ["unlock"]),
        ("invalidate_range_start", ["invalidate_range_end", "invalidate_range_only_end"]),
        ("tlb_gather_mmu", ["tlb_finish_mmu"]),
        ("tlb_gather_mmu_fullmm", ["tlb_finish_mmu"]),
    ];

    private static readonly HashSet<string> NotifierOps = ["invalidate_range_start", "invalidate_range_end", "invalidate_range_only_end"];

    public static IEnumerable<Ordering> Shrink(Ordering ordering) => Shrink(ordering, OrderingShape.Any);

    public static IEnumerable<Ordering> Shrink(Ordering ordering, OrderingShape shape)
    {
        string text = OrderingPrinter.Print(ordering);
        var size = Size(text);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var candidate in Candidates(text))
        {
            if (!seen.Add(candidate) || Compare(Size(candidate), size) >= 0) continue;
            var parsed = OrderingParser.Parse(candidate, OrderingGen.FileName);
            if (!parsed.Ok || !Fits(parsed.Ordering!, shape)) continue;
            yield return parsed.Ordering!;
        }
    }

    /// <summary>The candidate texts, unfiltered (some may not parse, or not be smaller).</summary>
    public static IEnumerable<string> Candidates(string text)
    {
        var (headers, threads) = Split(text);

        for (int t = 0; t < threads.Count && threads.Count > 1; t++)
            yield return Join(headers, threads.Where((_, k) => k != t).ToList());

        for (int t = 0; t < threads.Count; t++)
        {
            var ops = threads[t].Ops;
            for (int i = 0; i < ops.Count; i++)
                if (Partner(ops, i) is int j) yield return WithOps(headers, threads, t, ops.Where((_, k) => k < i || k > j));
            for (int i = 0; i < ops.Count; i++)
                if (!IsBracket(ops[i])) yield return WithOps(headers, threads, t, ops.Where((_, k) => k != i));
            for (int i = 0; i < ops.Count; i++)
                if (Partner(ops, i) is int j) yield return WithOps(headers, threads, t, ops.Where((_, k) => k != i && k != j));
            for (int i = 0; i < ops.Count; i++)
                if (WithoutIf(ops[i]) is { } plain) yield return WithOps(headers, threads, t, ops.Select((op, k) => k == i ? plain : op));
        }

        for (int h = 0; h < headers.Count; h++)
        {
            string line = headers[h];
            if (line.StartsWith("secondary ", StringComparison.Ordinal) || line.StartsWith("readonly ", StringComparison.Ordinal)
                || line == "reuse off")
                yield return Join(headers.Where((_, k) => k != h).ToList(), threads);
            if (line.EndsWith(" keeps-entry-on-fault", StringComparison.Ordinal))
                yield return Join(headers.Select((x, k) => k == h ? x[..^" keeps-entry-on-fault".Length] : x).ToList(), threads);
            if (Number(line, "cpus ") is int cpus && cpus > 0)
            {
                yield return Join(headers.Select((x, k) => k == h ? "cpus 0" : x).ToList(), threads);
                yield return Join(headers.Select((x, k) => k == h ? $"cpus {cpus - 1}" : x).ToList(), threads);
            }
            if (Number(line, "pages ") is int pages && pages > 1)
            {
                var clamped = threads.Select(th => th with { Ops = th.Ops.Select(op => ClampPages(op, pages - 1)).ToList() }).ToList();
                yield return Join(headers.Select((x, k) => k == h ? $"pages {pages - 1}" : x).ToList(), clamped);
            }
        }

        for (int t = 0; t < threads.Count; t++)
        {
            var ops = threads[t].Ops;
            for (int i = 0; i < ops.Count; i++)
            {
                if (RangeOf(ops[i]) is not { } range) continue;
                foreach (var simpler in SimplerRanges(range.Tokens))
                {
                    string replacement = string.Join(" ", simpler);
                    bool notifier = NotifierOps.Contains(OpName(ops[i]));
                    yield return WithOps(headers, threads, t, ops.Select((op, k) =>
                        k == i || (notifier && NotifierOps.Contains(OpName(op)) && RangeOf(op) is { } r && r.Text == range.Text)
                            ? ReplaceRange(op, RangeOf(op)!.Value, replacement) : op));
                }
            }
        }
    }

    private static bool Fits(Ordering o, OrderingShape shape) =>
        o.Cpus >= shape.MinCpus && o.Devices.Count >= shape.MinDevices
        && (!shape.NoSecondaries || o.Devices.Count + o.Shadows.Count == 0)
        && o.Threads.Count <= Math.Max(1, shape.MaxThreads) && (!shape.AlwaysReuse || o.Reuse);

    /// <summary>Text length, then the sum of the numbers written in it.</summary>
    private static (int, long) Size(string text)
    {
        long sum = 0, current = 0;
        foreach (char c in text)
        {
            if (char.IsAsciiDigit(c)) current = Math.Min(current * 10 + (c - '0'), 1_000_000);
            else
            {
                sum += current;
                current = 0;
            }
        }
        return (text.Length, sum + current);
    }

    private static int Compare((int, long) a, (int, long) b) => a.Item1 != b.Item1 ? a.Item1.CompareTo(b.Item1) : a.Item2.CompareTo(b.Item2);

    private sealed record ThreadText(string Header, List<string> Ops);

    private static (List<string> Headers, List<ThreadText> Threads) Split(string text)
    {
        var headers = new List<string>();
        var threads = new List<ThreadText>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (line.StartsWith("thread ", StringComparison.Ordinal)) threads.Add(new ThreadText(line, []));
            else if (line.StartsWith(OrderingPrinter.Indent, StringComparison.Ordinal) && threads.Count > 0) threads[^1].Ops.Add(line.Trim());
            else headers.Add(line);
        }
        return (headers, threads);
    }

    private static string Join(List<string> headers, List<ThreadText> threads)
    {
        var lines = new List<string>(headers);
        foreach (var t in threads)
        {
            lines.Add(t.Header);
            foreach (var op in t.Ops) lines.Add(OrderingPrinter.Indent + op);
        }
        return string.Join("\n", lines) + "\n";
    }

    private static string WithOps(List<string> headers, List<ThreadText> threads, int t, IEnumerable<string> ops) =>
        Join(headers, threads.Select((th, k) => k == t ? th with { Ops = ops.ToList() } : th).ToList());

    /// <summary>The op's tokens after any <c>if COND [P]</c> prefix start at this index.</summary>
    private static int OpStart(string[] tokens)
    {
        if (tokens.Length == 0 || tokens[0] != "if") return 0;
        string condition = tokens[1].TrimStart('!');
        return condition.StartsWith("pte_", StringComparison.Ordinal) ? 3 : 2;
    }

    private static string OpName(string op)
    {
        var tokens = op.Split(' ');
        return tokens[OpStart(tokens)];
    }

    private static string? WithoutIf(string op)
    {
        var tokens = op.Split(' ');
        int start = OpStart(tokens);
        return start == 0 ? null : string.Join(" ", tokens[start..]);
    }

    private static bool IsBracket(string op)
    {
        string name = OpName(op);
        foreach (var (open, close) in Brackets)
            if (name == open || close.Contains(name)) return true;
        return false;
    }

    /// <summary>For an opening bracket at <paramref name="i"/>, the index of its closing partner (nesting counted).</summary>
    private static int? Partner(List<string> ops, int i)
    {
        var tokens = ops[i].Split(' ');
        if (OpStart(tokens) != 0) return null;
        string name = tokens[0];
        string argument = tokens.Length > 1 ? string.Join(" ", tokens[1..]) : "";
        foreach (var (open, close) in Brackets)
        {
            if (name != open) continue;
            bool byArgument = open is "lock" or "invalidate_range_start";
            int depth = 0;
            for (int k = i + 1; k < ops.Count; k++)
            {
                var other = ops[k].Split(' ');
                string otherArgument = other.Length > 1 ? string.Join(" ", other[1..]) : "";
                bool same = !byArgument || otherArgument == argument;
                if (other[0] == open && same) depth++;
                else if (close.Contains(other[0]) && same)
                {
                    if (depth == 0) return k;
                    depth--;
                }
            }
        }
        return null;
    }

    private readonly record struct RangeText(int First, string[] Tokens)
    {
        public string Text => string.Join(" ", Tokens);
    }

    private static bool IsBound(string token) =>
        token == "~0" || token.StartsWith("0x", StringComparison.Ordinal) || (token.Length > 0 && token.All(char.IsAsciiDigit));

    /// <summary>The range argument of an op (one or two bounds right after its name), if it has one.</summary>
    private static RangeText? RangeOf(string op)
    {
        var tokens = op.Split(' ');
        int start = OpStart(tokens) + 1;
        if (tokens[start - 1] is "pte_move" or "lock" or "unlock" or "wait_pte") return null;
        if (start >= tokens.Length || !IsBound(tokens[start])) return null;
        int count = start + 1 < tokens.Length && IsBound(tokens[start + 1]) ? 2 : 1;
        return new RangeText(start, tokens[start..(start + count)]);
    }

    private static string ReplaceRange(string op, RangeText range, string replacement)
    {
        var tokens = op.Split(' ').ToList();
        tokens.RemoveRange(range.First, range.Tokens.Length);
        tokens.Insert(range.First, replacement);
        return string.Join(" ", tokens);
    }

    private static IEnumerable<string[]> SimplerRanges(string[] bounds)
    {
        if (!bounds.All(b => b.All(char.IsAsciiDigit)))
        {
            yield return ["0"];
            yield break;
        }
        int a = int.Parse(bounds[0], CultureInfo.InvariantCulture);
        if (bounds.Length == 1)
        {
            if (a > 0) yield return ["0"];
            yield break;
        }
        int b = int.Parse(bounds[1], CultureInfo.InvariantCulture);
        yield return [bounds[0]];
        if (b > a + 1) yield return [bounds[0], (b - 1).ToString(CultureInfo.InvariantCulture)];
    }

    /// <summary>Page numbers above <paramref name="last"/> become <paramref name="last"/> (a smaller page set).</summary>
    private static string ClampPages(string op, int last)
    {
        var tokens = op.Split(' ');
        for (int k = 1; k < tokens.Length; k++)
            if (tokens[k].Length > 0 && tokens[k].All(char.IsAsciiDigit) && int.Parse(tokens[k], CultureInfo.InvariantCulture) > last)
                tokens[k] = last.ToString(CultureInfo.InvariantCulture);
        return string.Join(" ", tokens);
    }

    private static int? Number(string line, string keyword) =>
        line.StartsWith(keyword, StringComparison.Ordinal) && int.TryParse(line[keyword.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? n : null;
}
