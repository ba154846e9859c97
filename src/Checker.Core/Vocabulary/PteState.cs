namespace Checker.Vocabulary;

/// <summary>A state a PTE can be waited for or tested in.</summary>
public enum PteState : byte
{
    None,
    Present,
    Readonly,
    Writable,
}
