namespace Checker.Model;

/// <summary>Who owns a frame (DESIGN §3.1): this mm, nobody (free), or another owner.</summary>
public enum FrameOwner : byte
{
    Mm = ModelState.OwnerMm,
    Free = ModelState.OwnerFree,
    Other = ModelState.OwnerOther,
}
