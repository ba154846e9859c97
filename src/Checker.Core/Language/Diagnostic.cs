using System.Text;

namespace Checker.Language;

/// <summary>
/// A problem in user input: <c>FILE:LINE:COL: error: what is wrong — what to do</c> (or <c>warning:</c>, which
/// does not stop the run). Diagnostics are values,
/// collected and returned; they are never thrown across the parser API. Control characters quoted from the
/// input are shown escaped (<c>\u0000</c>), so a diagnostic is always one printable line.
/// </summary>
public sealed record Diagnostic(string File, int Line, int Column, string Message, string Hint)
{
    /// <summary>A warning does not stop the ordering from running (a release newer than the rule table knows).</summary>
    public bool IsWarning { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{File}:{Line}:{Column}: {(IsWarning ? "warning" : "error")}: {Printable(Message)} — {Printable(Hint)}";

    private static string Printable(string text)
    {
        bool clean = true;
        foreach (char c in text) clean &= !char.IsControl(c);
        if (clean) return text;
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
            sb.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        return sb.ToString();
    }
}
