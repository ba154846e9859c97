namespace Checker.Vocabulary;

/// <summary>Architecture flush rules (DESIGN §3.4).</summary>
public enum Arch : byte
{
    /// <summary>x86: no flush on a pure permission upgrade; deferred flushes call the hook with (0, -1) at registration (6.6).</summary>
    X86,

    /// <summary>arm64: flushes on upgrades (<c>ptep_set_access_flags</c>); the hook rides on <c>__flush_tlb_range</c> and friends (6.6).</summary>
    Arm64,
}
