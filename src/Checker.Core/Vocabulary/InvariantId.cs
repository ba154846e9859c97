namespace Checker.Vocabulary;

/// <summary>
/// The invariants of DESIGN §3.5, in table order: when several are violated at one step, the first in this
/// order is the violation and the others are co-violations (§3.6 rule 4). Ids are stable.
/// </summary>
public enum InvariantId : byte
{
    StaleSecondaryAfterFlush,
    InvalidNotifierRange,
    UnbalancedNotifier,
    PteChangeOutsideNotifier,
    UseAfterFree,
    AccessAfterReturn,
    LostWrite,
    SecondaryFaultLoop,
}
