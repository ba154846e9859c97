using Checker.Language;

namespace Checker.Model;

/// <summary>
/// §8 dirty data (DESIGN §8.1): which pages start as page-cache (<c>file</c>) pages, which as lazy-free anonymous
/// pages, and which map another page's frame (<c>alias Q P</c>). Present only when the ordering uses §8.
/// </summary>
internal sealed class DirtyLayout
{
    private DirtyLayout(ulong file, ulong lazyfree, int[] aliasOf)
    {
        File = file;
        Lazyfree = lazyfree;
        AliasOf = aliasOf;
    }

    /// <summary>Pages whose initial frame is in the page cache (cache index = page).</summary>
    public ulong File { get; }

    /// <summary>Pages whose initial frame is lazy-free (MADV_FREE has returned).</summary>
    public ulong Lazyfree { get; }

    /// <summary>Per page: the page whose frame it maps instead of its own, or -1.</summary>
    public int[] AliasOf { get; }

    public static DirtyLayout Of(Ordering ordering, ulong allPages)
    {
        int pages = ordering.Pages;
        ulong file = 0, lazy = 0;
        var alias = new int[pages];
        Array.Fill(alias, -1);
        foreach (var header in ordering.Headers)
        {
            switch (header)
            {
                case HeaderLine.File f: file |= OrderingCompiler.Touched(f.Range.Start, f.Range.End, pages); break;
                case HeaderLine.Lazyfree l: lazy |= OrderingCompiler.Touched(l.Range.Start, l.Range.End, pages); break;
                case HeaderLine.Alias a:
                {
                    ulong q = OrderingCompiler.Touched(a.Page.Start, a.Page.End, pages);
                    ulong p = OrderingCompiler.Touched(a.Target.Start, a.Target.End, pages);
                    if (q != 0 && p != 0)
                        alias[System.Numerics.BitOperations.TrailingZeroCount(q)] = System.Numerics.BitOperations.TrailingZeroCount(p);
                    break;
                }
            }
        }
        return new DirtyLayout(file & allPages, lazy & allPages & ~file, alias);
    }
}
