using Checker.Model;

namespace Checker.Cli.Json;

/// <summary>An ordering's cost counters (DESIGN §3.5), from its one canonical run.</summary>
public sealed record CostsDocument(long SecondaryInvalidations, long PagesDropped, long FullFlushes, long RedundantInvalidations)
{
    public static CostsDocument From(Costs c) => new(c.SecondaryInvalidations, c.PagesDropped, c.FullFlushes, c.RedundantInvalidations);
}
