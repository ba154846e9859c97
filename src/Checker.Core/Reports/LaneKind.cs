namespace Checker.Reports;

/// <summary>What a swim lane stands for.</summary>
public enum LaneKind : byte
{
    /// <summary>A kernel thread of the ordering (syscall, fault, reclaim, kthread).</summary>
    KernelThread,

    /// <summary>An explicit environment thread (<c>thread NAME cpu|device|shadow K</c>).</summary>
    EnvironmentThread,

    /// <summary>A user CPU and its TLB.</summary>
    Cpu,

    /// <summary>A shared-page-table device and its IOTLB.</summary>
    Device,

    /// <summary>A shadow-table secondary MMU and its sPTEs.</summary>
    Shadow,

    /// <summary>The page allocator: frames allocated, freed and handed to another owner.</summary>
    Allocator,
}
