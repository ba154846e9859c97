using Checker.Invariants;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>A parsed <c>.trace</c> file: the invariant and step it recorded, the embedded ordering and the
/// schedule (DESIGN §5).</summary>
public sealed record Trace(
    InvariantId Invariant,
    int Step,
    string OrderingText,
    CompiledOrdering Program,
    Schedule Schedule,
    string? File,
    string? FoundBy,
    string? FsCheckReplay);
