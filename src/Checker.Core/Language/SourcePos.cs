namespace Checker.Language;

/// <summary>
/// Where a syntax node came from (1-based line and column). A position is provenance, not content: two
/// nodes that differ only in where they were written are equal, so all positions compare equal.
/// </summary>
public readonly struct SourcePos : IEquatable<SourcePos>
{
    public SourcePos(int line, int column)
    {
        Line = line;
        Column = column;
    }

    public int Line { get; }

    public int Column { get; }

    public static SourcePos None => default;

    public bool Equals(SourcePos other) => true;

    public override bool Equals(object? obj) => obj is SourcePos;

    public override int GetHashCode() => 0;

    public static bool operator ==(SourcePos left, SourcePos right) => true;

    public static bool operator !=(SourcePos left, SourcePos right) => false;

    public override string ToString() => $"{Line}:{Column}";
}
