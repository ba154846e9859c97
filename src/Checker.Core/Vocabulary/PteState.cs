namespace Checker.Vocabulary;

/// <summary>A state a PTE can be waited for or tested in.</summary>
public enum PteState : byte
{
    /// <summary><c>none</c>: clear.</summary>
    None,
    /// <summary><c>present</c>: mapped.</summary>
    Present,
    /// <summary><c>readonly</c>: mapped read-only.</summary>
    Readonly,
    /// <summary><c>writable</c>: mapped writable.</summary>
    Writable,
}
