using System.Globalization;

namespace Checker.Repair;

/// <summary>What an ordering costs, compared in this order (issue 15): the changes of a kernel helper or driver it
/// needs (fixed driver behaviours, then <c>patch</c> lines — any repair of the path alone comes first), secondary invalidation
/// calls and the pages they dropped (the counters of the canonical run, <c>checker diff</c>'s), then the CPU flush ops
/// the kernel threads make, then the number of edits that produced it.</summary>
/// A driver change costs more than a helper change: it fixes one driver, where the helper's fix reaches every driver.
internal readonly record struct RepairCost(long Invalidations, long PagesDropped, int CpuFlushes, int Edits, int HelperChanges = 0, int DriverChanges = 0)
    : IComparable<RepairCost>
{
    public int CompareTo(RepairCost other) =>
        DriverChanges != other.DriverChanges ? DriverChanges.CompareTo(other.DriverChanges)
        : HelperChanges != other.HelperChanges ? HelperChanges.CompareTo(other.HelperChanges)
        : Invalidations != other.Invalidations ? Invalidations.CompareTo(other.Invalidations)
        : PagesDropped != other.PagesDropped ? PagesDropped.CompareTo(other.PagesDropped)
        : CpuFlushes != other.CpuFlushes ? CpuFlushes.CompareTo(other.CpuFlushes)
        : Edits.CompareTo(other.Edits);

    /// <summary>The cost without the edit count: what "equal in cost" compares for two repairs.</summary>
    public bool SameWork(RepairCost other) =>
        DriverChanges == other.DriverChanges && HelperChanges == other.HelperChanges && Invalidations == other.Invalidations && PagesDropped == other.PagesDropped && CpuFlushes == other.CpuFlushes;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Invalidations} secondary invalidation call{(Invalidations == 1 ? "" : "s")}, {PagesDropped} page{(PagesDropped == 1 ? "" : "s")} dropped, {CpuFlushes} CPU flush op{(CpuFlushes == 1 ? "" : "s")}")
        + (HelperChanges == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", {HelperChanges} kernel helper change{(HelperChanges == 1 ? "" : "s")}"))
        + (DriverChanges == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", {DriverChanges} driver change{(DriverChanges == 1 ? "" : "s")}"));
}
