using Checker.Text;

namespace Checker.Language;

/// <summary>The outcome of parsing: an ordering, or the diagnostics that say why there is none.</summary>
public sealed record ParseResult(Ordering? Ordering, EquatableArray<Diagnostic> Diagnostics)
{
    /// <summary>True when the text parsed with no diagnostics.</summary>
    public bool Ok => Ordering is not null;
}
