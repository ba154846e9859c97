using System.Text;
using Checker.Vocabulary;

namespace Checker.Language;

/// <summary>
/// Prints an ordering in the canonical form of the language: one space between tokens, ops indented by two
/// spaces, comments and blank lines where they were. <c>Parse(Print(o))</c> equals <c>o</c>, and a file
/// written in canonical form prints back byte for byte.
/// </summary>
public static class OrderingPrinter
{
    /// <summary>The indentation of a thread's ops.</summary>
    public const string Indent = "  ";

    /// <summary>The ordering as text: parsing it gives the same ordering.</summary>
    public static string Print(Ordering ordering)
    {
        var sb = new StringBuilder();
        foreach (var header in ordering.Headers) Line(sb, header.Trivia, HeaderText(header));
        foreach (var thread in ordering.Threads)
        {
            Line(sb, thread.Trivia, thread.HeaderText());
            foreach (var op in thread.Ops) Line(sb, op.Trivia, Indent + op);
        }
        foreach (var trivia in ordering.TrailingTrivia) sb.Append(trivia).Append('\n');
        return sb.ToString();
    }

    /// <summary>One header line as text.</summary>
    public static string HeaderText(HeaderLine header) => header switch
    {
        HeaderLine.Name n => "ordering " + n.Value,
        HeaderLine.Kernel k => "kernel " + k.Release,
        HeaderLine.ArchLine a => "arch " + Words.Of(a.Arch),
        HeaderLine.Pages p => "pages " + p.Count,
        HeaderLine.ReadOnly r => "readonly " + r.Range,
        HeaderLine.Unmapped u => "unmapped " + u.Range,
        HeaderLine.Cpus c => "cpus " + c.Count,
        HeaderLine.Sva s => "secondary sva " + Words.Of(s.Flavor) + (s.KeepsEntryOnFault ? " keeps-entry-on-fault" : ""),
        HeaderLine.Shadow s => "secondary shadow" + (s.Written ? " " + Words.Of(s.Mode) : ""),
        HeaderLine.Reuse r => "reuse " + (r.On ? "on" : "off"),
        HeaderLine.Environment e => "environment " + (e.Explicit ? "explicit" : "generated"),
        HeaderLine.Expect e => e.Pass ? "expect pass" : "expect violation " + JoinIds(e),
        HeaderLine.Source s => "source " + s.Text,
        // §7 the page-table tree
        HeaderLine.PageTables => "pagetables",
        HeaderLine.HugePage h => "hugepage " + h.Span,
        HeaderLine.Huge h => "huge " + h.Range,
        HeaderLine.Mm2 m => "mm2" + (m.CpuCount > 0 ? " cpus " + m.CpuCount : "") + (m.SharedPmd ? " shared-pmd" : ""),
        HeaderLine.KernelPages k => "kernel_pages " + k.Count,
        HeaderLine.GupFast g => "gup_fast" + (g.MmWritten ? " mm " + g.Mm : ""),
        // §8 dirty data (issue 13)
        HeaderLine.File f => "file " + f.Range,
        HeaderLine.Alias a => "alias " + a.Page + " " + a.Target,
        HeaderLine.Lazyfree l => "lazyfree " + l.Range,
        // issue 15: a helper change
        HeaderLine.Patch p => "patch " + ReleaseRuleInfo.Of(p.Rule).Name,
        _ => throw new InvalidOperationException($"no printer for header {header.GetType().Name}"),
    };

    private static string JoinIds(HeaderLine.Expect e)
    {
        var names = new string[e.Violations.Count];
        for (int i = 0; i < names.Length; i++) names[i] = Invariant.NameOf(e.Violations[i]);
        return string.Join(" ", names);
    }

    private static void Line(StringBuilder sb, Trivia trivia, string text)
    {
        foreach (var leading in trivia.Leading) sb.Append(leading).Append('\n');
        sb.Append(text);
        if (trivia.Trailing is { } comment) sb.Append(' ').Append(comment);
        sb.Append('\n');
    }
}
