namespace Checker.Language;

/// <summary>
/// A range as written: <c>A B</c> = [A, B), or a single bound. A single page number P means [P, P+1); a single
/// hex or <c>~0</c> bound b means [b, b+4096) with wrap-around (DESIGN §3.6 rule 12). The model never fixes a
/// strange range: the bytes go to the driver arithmetic exactly as written.
/// </summary>
public sealed record RangeArg(Bound First, Bound? Second, SourcePos Pos)
{
    /// <summary>True when one page was given instead of a range.</summary>
    public bool IsSingle => Second is null;

    /// <summary>The first byte address of the range.</summary>
    public ulong Start => First.Address;

    /// <summary>The byte address just past the range.</summary>
    public ulong End => Second is { } second
        ? second.Address
        : First.Kind == BoundKind.Page ? unchecked((First.Value + 1) << Bound.PageShift) : unchecked(First.Address + Bound.PageSize);

    /// <summary>The pages [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public static RangeArg Pages(int start, int end) => new(Bound.Page(start), Bound.Page(end), SourcePos.None);

    /// <summary>The one page <paramref name="page"/>.</summary>
    public static RangeArg SinglePage(int page) => new(Bound.Page(page), null, SourcePos.None);

    /// <inheritdoc/>
    public override string ToString() => Second is { } second ? $"{First} {second}" : First.ToString();
}
