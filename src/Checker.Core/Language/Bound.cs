using System.Globalization;

namespace Checker.Language;

/// <summary>One bound of a range, as written. Page numbers are multiplied by the page size; <c>~0</c> and hex
/// addresses are byte addresses taken as they are.</summary>
public readonly record struct Bound(BoundKind Kind, ulong Value)
{
    /// <summary>Where the bound was written (not part of equality).</summary>
    public SourcePos Pos { get; init; }

    /// <summary>log2 of the page size (12).</summary>
    public const int PageShift = 12;
    /// <summary>The page size in bytes (4096).</summary>
    public const ulong PageSize = 1UL << PageShift;

    /// <summary>§7: the address of kernel page <c>k0</c> (the vmalloc area, x86-64 VMALLOC_START).</summary>
    public const ulong KernelBase = 0xffffc90000000000UL;

    /// <summary>§7: a bound written as a kernel page <c>kP</c>.</summary>
    public static Bound KernelPage(int page) => new(BoundKind.Kernel, (ulong)page);

    /// <summary>A bound written as a page number.</summary>
    public static Bound Page(int page) => new(BoundKind.Page, (ulong)page);

    /// <summary>The bound <c>~0</c> (ULONG_MAX).</summary>
    public static Bound Max => new(BoundKind.Max, ulong.MaxValue);

    /// <summary>A bound written as a byte address in hex.</summary>
    public static Bound Hex(ulong address) => new(BoundKind.Hex, address);

    /// <summary>The byte address (page numbers × 4096; wraps like the kernel's unsigned long).</summary>
    public ulong Address => Kind switch
    {
        BoundKind.Page => unchecked(Value << PageShift),
        BoundKind.Kernel => unchecked(KernelBase + (Value << PageShift)),
        _ => Value,
    };

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        BoundKind.Page => Value.ToString(CultureInfo.InvariantCulture),
        BoundKind.Max => "~0",
        BoundKind.Kernel => "k" + Value.ToString(CultureInfo.InvariantCulture),
        _ => "0x" + Value.ToString("x", CultureInfo.InvariantCulture),
    };

    /// <summary>Parses one bound token; returns false when the token is not a bound.</summary>
    public static bool TryParse(string token, out Bound bound, out string? error)
    {
        bound = default;
        error = null;
        if (token == "~0")
        {
            bound = Max;
            return true;
        }
        if (token.StartsWith("0x", StringComparison.Ordinal))
        {
            var digits = token.AsSpan(2);
            if (digits.Length == 0 || !IsHex(digits))
            {
                error = $"'{token}' is not a hex address";
                return false;
            }
            if (digits.TrimStart('0').Length > 16)
            {
                error = $"hex address '{token}' does not fit in 64 bits";
                return false;
            }
            bound = Hex(ulong.Parse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
            return true;
        }
        if (token.Length > 1 && token[0] == 'k' && IsDecimal(token[1..]))
        {
            if (!int.TryParse(token.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int kpage) || kpage > 1024)
            {
                error = $"kernel page '{token}' is too large";
                return false;
            }
            bound = KernelPage(kpage);
            return true;
        }
        if (token.Length > 0 && IsDecimal(token))
        {
            if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int page))
            {
                error = $"page number '{token}' is too large";
                return false;
            }
            bound = Page(page);
            return true;
        }
        return false;
    }

    /// <summary>True when the token has the shape of a bound (so a parser knows to read it as one).</summary>
    public static bool LooksLikeBound(string token) =>
        token == "~0" || token.StartsWith("0x", StringComparison.Ordinal) || (token.Length > 0 && char.IsAsciiDigit(token[0]))
        || (token.Length > 1 && token[0] == 'k' && char.IsAsciiDigit(token[1]));

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
            if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }

    private static bool IsDecimal(string s)
    {
        foreach (char c in s)
            if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}
