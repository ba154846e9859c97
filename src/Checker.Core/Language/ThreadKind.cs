namespace Checker.Language;

/// <summary>What a <c>thread</c> block stands for.</summary>
public enum ThreadKind : byte
{
    /// <summary>A kernel thread (syscall, fault, reclaim, kthread).</summary>
    Kernel,

    /// <summary>An explicit user CPU.</summary>
    Cpu,

    /// <summary>An explicit shared-table device (the K-th <c>secondary sva</c> line).</summary>
    Device,

    /// <summary>An explicit shadow secondary (the K-th <c>secondary shadow</c> line).</summary>
    Shadow,

    /// <summary>§7: an explicit GUP-fast walker of the K-th <c>gup_fast</c> line's mm.</summary>
    Gup,
}
