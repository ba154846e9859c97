namespace Checker.Language;

/// <summary>How a range bound was written: a page number, <c>~0</c> (ULONG_MAX), or a byte address in hex.</summary>
public enum BoundKind : byte
{
    /// <summary>A page number.</summary>
    Page,
    /// <summary><c>~0</c>: ULONG_MAX.</summary>
    Max,
    /// <summary>A byte address in hex.</summary>
    Hex,
    /// <summary>§7: a kernel page <c>kP</c> (at <see cref="Bound.KernelBase"/> + P × 4096).</summary>
    Kernel,
}
