namespace Checker.Model;

/// <summary>Who owns a frame (DESIGN §3.1): this mm, nobody (free), or another owner.</summary>
public enum FrameOwner : byte
{
    /// <summary>This mm: the frame backs a user page.</summary>
    Mm = ModelState.OwnerMm,
    /// <summary>Nobody: the frame is free.</summary>
    Free = ModelState.OwnerFree,
    /// <summary>Another owner: the frame was freed and reused.</summary>
    Other = ModelState.OwnerOther,
}
