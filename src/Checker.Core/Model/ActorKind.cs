namespace Checker.Model;

/// <summary>Who moves at a schedule step.</summary>
public enum ActorKind : byte
{
    /// <summary>A thread of the file: a kernel thread or an explicit cpu/device/shadow thread.</summary>
    Thread,

    /// <summary>A generated user CPU.</summary>
    Cpu,

    /// <summary>A generated shared-table device.</summary>
    Device,

    /// <summary>A generated shadow secondary.</summary>
    Shadow,

    /// <summary>The page allocator.</summary>
    Allocator,

    /// <summary>§7: a generated GUP-fast walker (<c>gup_fast</c>).</summary>
    Gup,
}
