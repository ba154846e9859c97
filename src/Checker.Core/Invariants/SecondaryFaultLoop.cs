namespace Checker.Invariants;

/// <summary>
/// <c>secondary-fault-loop</c> (liveness): a device write-faults on the same page three actions in a row
/// while the PTE is present and writable (§3.6 rule 8). An SMMU without BTM keeps its read-only entry on a
/// permission fault; the fault handler finds the PTE already writable and returns, so unless the upgrade
/// invalidated the entry the device faults forever (arm64 ptep_set_access_flags flushes the page; in 6.6 that
/// flush reaches arch_invalidate_secondary_tlbs).
/// </summary>
internal static class SecondaryFaultLoop
{
    public const int Threshold = 3;
}
