using Checker.Text;

namespace Checker.Language;

/// <summary>Comment and blank lines written before a line, and the comment at its end: kept so that printing a
/// parsed file gives the file back.</summary>
public sealed record Trivia(EquatableArray<string> Leading, string? Trailing)
{
    /// <summary>No comments.</summary>
    public static Trivia None { get; } = new(EquatableArray<string>.Empty, null);

    /// <summary>True when there are no comments.</summary>
    public bool IsEmpty => Leading.Count == 0 && Trailing is null;
}
