namespace Checker.Model;

/// <summary>One PTE as the model holds it (DESIGN §3.1): present or none, the frame it maps (-1 when none) and
/// whether it is writable.</summary>
public readonly record struct PteCell(bool Present, int Frame, bool Writable);
