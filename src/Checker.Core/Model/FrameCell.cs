namespace Checker.Model;

/// <summary>A frame the story of the run involves: its owner, its reference count and whether a kernel thread
/// copied it (<c>copy_page</c>, a permanent mark).</summary>
public readonly record struct FrameCell(int Frame, FrameOwner Owner, int References, bool Copied);
