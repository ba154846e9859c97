namespace Checker.Reports;

/// <summary>A marker in lane <see cref="Lane"/> at one step, with a short text (<c>p0 p1</c>, <c>p0 f0w</c>,
/// <c>f2</c>, an invariant name).</summary>
public sealed record LaneMark(int Lane, MarkKind Kind, string Text);
