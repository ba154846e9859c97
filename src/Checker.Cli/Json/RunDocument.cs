namespace Checker.Cli.Json;

/// <summary>
/// The <c>--json</c> document of a <c>check</c> run (DESIGN §6), which <c>merge</c> also reads (one per shard) and
/// writes (the whole run's). Serialized by <see cref="RunDocumentContext"/> in declaration order; nothing in it
/// depends on timing or <c>--jobs</c>. <see cref="Shard"/> is <c>I/N</c>, or <c>merged N of N</c> from <c>merge</c>.
/// </summary>
public sealed record RunDocument(
    string Strategy,
    ulong Seed,
    int Bound,
    long Schedules,
    int PctDepth,
    string Shard,
    IReadOnlyList<OrderingDocument> Orderings);
