using Checker.Vocabulary;

namespace Checker.Language;

/// <summary>The header checks of DESIGN §8.6 (dirty data): ranges within the page set, <c>alias Q Q</c>, a page
/// aliased twice, <c>file</c> overlapping <c>lazyfree</c>.</summary>
internal sealed partial class OrderingValidator
{
    private void CheckDirtyHeaders()
    {
        ulong file = 0, lazy = 0;
        var aliased = new Dictionary<int, int>();
        foreach (var header in ordering.Headers)
        {
            switch (header)
            {
                case HeaderLine.File f:
                    CheckRange(f.Range, "file");
                    file |= PagesOf(f.Range);
                    break;
                case HeaderLine.Lazyfree l:
                    CheckRange(l.Range, "lazyfree");
                    lazy |= PagesOf(l.Range);
                    CheckLazyfreeHuge(l, PagesOf(l.Range)); // issue 12
                    break;
                case HeaderLine.Alias a:
                {
                    CheckRange(a.Page, "alias");
                    CheckRange(a.Target, "alias");
                    int q = FirstPage(a.Page), p = FirstPage(a.Target);
                    if (q < 0 || p < 0) break;
                    if (q == p)
                        Error(a.Pos, $"alias {q} {p} maps page {q} to itself", "alias Q P makes page Q a second mapping of page P's frame: name two different pages");
                    else if (aliased.TryGetValue(q, out int firstLine))
                        Error(a.Pos, $"page {q} is aliased twice (first at line {firstLine})", "keep one alias line per page");
                    else aliased[q] = a.Pos.Line;
                    break;
                }
            }
        }
        ulong both = file & lazy;
        if (both != 0)
            foreach (var header in ordering.Headers)
                if (header is HeaderLine.Lazyfree l && (PagesOf(l.Range) & file) != 0)
                    Error(l.Pos, $"lazyfree {l.Range} overlaps a file range (page {System.Numerics.BitOperations.TrailingZeroCount(both)})",
                        "MADV_FREE applies to anonymous pages; file pages are written back, not discarded: make the ranges disjoint");
    }

    private ulong PagesOf(RangeArg range)
    {
        ulong mask = 0;
        ulong start = range.Start, end = range.End;
        for (int p = 0; p < pages; p++)
        {
            ulong lo = (ulong)p << Bound.PageShift;
            if (start < end && lo < end && lo + Bound.PageSize > start) mask |= 1UL << p;
        }
        return mask;
    }

    private int FirstPage(RangeArg range)
    {
        ulong m = PagesOf(range);
        return m == 0 ? -1 : System.Numerics.BitOperations.TrailingZeroCount(m);
    }
}
