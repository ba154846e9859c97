namespace Checker.Model;

/// <summary>How a PTE changed at a step (§3.6 rule 1 calls the first three a "change").</summary>
public enum PteChange : byte
{
    /// <summary>A present PTE became none.</summary>
    Clear,

    /// <summary>A writable PTE became read-only, same frame.</summary>
    Downgrade,

    /// <summary>A present PTE now maps another frame.</summary>
    Repoint,

    /// <summary>A read-only PTE became writable, same frame.</summary>
    Upgrade,

    /// <summary>A none PTE became present.</summary>
    Fill,
}
