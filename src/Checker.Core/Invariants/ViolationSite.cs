namespace Checker.Invariants;

/// <summary>Where an invariant broke, as recorded by the machine during a step (no allocation): the actor
/// that acted, the page and frame involved, the device or shadow holding the translation, the range passed.</summary>
public readonly record struct ViolationSite(int Actor, int Page, int Frame, int Unit, ulong Start, ulong End)
{
    /// <summary>Where a violation happened: the actor, page, frame, unit and range; -1 or 0 where it does not apply.</summary>
    public static ViolationSite Of(int actor, int page = -1, int frame = -1, int unit = -1, ulong start = 0, ulong end = 0) =>
        new(actor, page, frame, unit, start, end);
}
