namespace Checker.Language;

/// <summary>
/// A problem in user input: <c>FILE:LINE:COL: error: what is wrong — what to do</c>. Diagnostics are values,
/// collected and returned; they are never thrown across the parser API.
/// </summary>
public sealed record Diagnostic(string File, int Line, int Column, string Message, string Hint)
{
    public override string ToString() => $"{File}:{Line}:{Column}: error: {Message} — {Hint}";
}
