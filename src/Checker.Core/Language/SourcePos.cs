namespace Checker.Language;

/// <summary>
/// Where a syntax node came from (1-based line and column). A position is provenance, not content: two
/// nodes that differ only in where they were written are equal, so all positions compare equal.
/// </summary>
public readonly struct SourcePos : IEquatable<SourcePos>
{
    /// <summary>A 1-based line and column.</summary>
    public SourcePos(int line, int column)
    {
        Line = line;
        Column = column;
    }

    /// <summary>The 1-based line.</summary>
    public int Line { get; }

    /// <summary>The 1-based column.</summary>
    public int Column { get; }

    /// <summary>No position (a constructed, not parsed, element).</summary>
    public static SourcePos None => default;

    /// <inheritdoc/>
    public bool Equals(SourcePos other) => true;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SourcePos;

    /// <inheritdoc/>
    public override int GetHashCode() => 0;

    /// <inheritdoc/>
    public static bool operator ==(SourcePos left, SourcePos right) => true;

    /// <inheritdoc/>
    public static bool operator !=(SourcePos left, SourcePos right) => false;

    /// <inheritdoc/>
    public override string ToString() => $"{Line}:{Column}";
}
