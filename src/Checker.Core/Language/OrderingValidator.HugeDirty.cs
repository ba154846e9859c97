namespace Checker.Language;

/// <summary>Issue 12 (THP split): <c>lazyfree</c> over a <c>huge</c> region makes a lazy-free huge page, and only
/// whole regions can be one (madvise_free_huge_pmd splits a THP that MADV_FREE covers in part); mm 2 cannot map one.</summary>
internal sealed partial class OrderingValidator
{
    private void CheckLazyfreeHuge(HeaderLine.Lazyfree l, ulong lazy)
    {
        int span = ordering.HugePageSpan;
        if (span <= 0 || span > 64) return;
        ulong huge = 0;
        foreach (var h in ordering.HugeRanges) huge |= PagesOf(h.Range);
        ulong over = lazy & huge;
        if (over == 0) return;
        ulong regionMask = span == 64 ? ulong.MaxValue : (1UL << span) - 1;
        for (int first = 0; first < pages; first += span)
        {
            ulong region = regionMask << first;
            if ((over & region) != 0 && (lazy & region) != region)
            {
                Error(l.Pos, $"lazyfree {l.Range} covers part of the huge page at page {first}",
                    "MADV_FREE over part of a THP splits it first: cover whole huge regions, or none");
                return;
            }
        }
        if (ordering.Mm2 is not null)
            Error(l.Pos, $"lazyfree {l.Range} makes a lazy-free huge page, which mm2 cannot share",
                "drop mm2, or keep lazyfree off the huge regions");
    }
}
