namespace Checker.Vocabulary;

/// <summary>
/// The invariants of DESIGN §3.5, in table order: when several are violated at one step, the first in this
/// order is the violation and the others are co-violations (§3.6 rule 4). Ids are stable.
/// </summary>
public enum InvariantId : byte
{
    /// <summary><c>stale-secondary-after-flush</c> (its meaning and kernel rule: <see cref="Invariant"/>).</summary>
    StaleSecondaryAfterFlush,
    /// <summary><c>invalid-notifier-range</c> (its meaning and kernel rule: <see cref="Invariant"/>).</summary>
    InvalidNotifierRange,
    /// <summary><c>unbalanced-notifier</c> (its meaning and kernel rule: <see cref="Invariant"/>).</summary>
    UnbalancedNotifier,
    /// <summary><c>pte-change-outside-notifier</c> (its meaning and kernel rule: <see cref="Invariant"/>).</summary>
    PteChangeOutsideNotifier,
    /// <summary><c>use-after-free</c> (its meaning and kernel rule: <see cref="Invariant"/>).</summary>
    UseAfterFree,
    // §7 the page-table tree
    /// <summary><c>walk-after-free</c> (its meaning and kernel rule: <see cref="Invariant"/>).</summary>
    WalkAfterFree,
    /// <summary><c>access-after-return</c> (its meaning and kernel rule: <see cref="Invariant"/>).</summary>
    AccessAfterReturn,
    /// <summary><c>lost-write</c> (its meaning and kernel rule: <see cref="Invariant"/>).</summary>
    LostWrite,
    // §8 dirty data (issue 13)
    /// <summary><c>lost-dirty</c> (its meaning and kernel rule: <see cref="Invariant"/>).</summary>
    LostDirty,
    /// <summary><c>secondary-fault-loop</c> (its meaning and kernel rule: <see cref="Invariant"/>).</summary>
    SecondaryFaultLoop,
}
