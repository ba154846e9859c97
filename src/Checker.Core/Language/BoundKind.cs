namespace Checker.Language;

/// <summary>How a range bound was written: a page number, <c>~0</c> (ULONG_MAX), or a byte address in hex.</summary>
public enum BoundKind : byte
{
    Page,
    Max,
    Hex,
}
