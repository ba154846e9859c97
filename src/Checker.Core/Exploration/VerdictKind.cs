namespace Checker.Exploration;

/// <summary>What a run says about an ordering's <c>expect</c> (DESIGN §3.5, §6); <see cref="Verdict"/> decides it.</summary>
public enum VerdictKind
{
    /// <summary>The run establishes the expectation (or, with none stated, found no violation).</summary>
    Met,

    /// <summary>The run contradicts the expectation: an unlisted violation, or none of the listed ones found.</summary>
    Unmet,

    /// <summary>Nothing contradicts the expectation, but the run could not show "no violation": an exhaustive
    /// search stopped by its state budget with no schedules sampled after it.</summary>
    Unproved,

    /// <summary>Ctrl-C cut the exploration short: it establishes nothing.</summary>
    Cancelled,

    /// <summary>One shard of a <c>--shard I/N</c> run with nothing unexpected in its part: <c>merge</c> decides.</summary>
    Partial,
}
