namespace Checker.Vocabulary;

/// <summary>The shadow-table fault protocols as data (DESIGN §3.2): the word, the protocol and where it comes from.
/// Issue 15: <see cref="Fix"/>, for a mode that is a driver bug, is the mode the driver's fix turns it into (what
/// <c>checker repair</c> proposes when no edit of the path removes a violation).</summary>
public sealed record ShadowModeInfo(ShadowMode Mode, string Name, string Protocol, string Source, ShadowMode? Fix = null)
{
    private static readonly ShadowModeInfo[] Table =
    [
        new(ShadowMode.Interval, "interval",
            "mmu_interval_read_begin / read_retry; faults block while an invalidation is in progress",
            "Documentation/mm/hmm.rst; mm/mmu_notifier.c mmu_interval_read_begin (99cb252f5e68, v5.5); KVM's mmu_notifier_seq"),
        new(ShadowMode.NoRetry, "no-retry",
            "a deliberately broken driver that installs without the retry check",
            "(a planted bug, no kernel driver)", Fix: ShadowMode.Interval),
    ];

    /// <summary>Every shadow mode, in <see cref="ShadowMode"/> order.</summary>
    public static IReadOnlyList<ShadowModeInfo> All => Table;

    /// <summary>The row of a shadow mode.</summary>
    public static ShadowModeInfo Of(ShadowMode mode) => Table[(int)mode];
}
