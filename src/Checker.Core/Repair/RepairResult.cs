using Checker.Exploration;
using Checker.Language;

namespace Checker.Repair;

/// <summary>How a repair run ended.</summary>
internal enum RepairStatus
{
    /// <summary>The ordering already passes: the complete search and the default strategy found nothing.</summary>
    AlreadyPasses,

    /// <summary>A repair was found and proved.</summary>
    Repaired,

    /// <summary>A counterexample that no candidate edit removes (the fix lies outside the kernel thread: a driver,
    /// an op the edits do not add).</summary>
    NoRepair,

    /// <summary>The search for a repair ran out of budget, or the original's search could not complete.</summary>
    NotEstablished,
}

/// <summary>One accepted repair: its edits (each with the counterexample it removes), the edited ordering, its cost.</summary>
internal sealed record RepairFix(IReadOnlyList<RepairEdit> Edits, IReadOnlyList<string> Removes, Ordering Ordering, RepairCost Cost);

/// <summary>What <see cref="Repairer.Repair"/> found for one ordering.</summary>
internal sealed record RepairResult(
    string File,
    Ordering Original,
    RepairStatus Status,
    RepairCost Before,
    RepairFix? Fix,
    IReadOnlyList<RepairFix> Alternatives,
    IReadOnlyList<AbstractCounterexample> Counterexamples,
    int Bound,
    long States,
    long Schedules,
    int Rounds,
    int Verified,
    TimeSpan Elapsed,
    string? Note)
{
    /// <summary>(--optimize) the calls proved redundant, as edits of the (repaired) ordering, with the proof's figures.</summary>
    public IReadOnlyList<RepairEdit> Redundant { get; init; } = [];

    /// <summary>(--optimize) the ordering without the redundant calls, and its cost; null when nothing is redundant.</summary>
    public RepairFix? Optimized { get; init; }

    /// <summary>Whether --optimize ran.</summary>
    public bool Optimize { get; init; }

    /// <summary>The ordering to write out: optimised, else repaired, else the original.</summary>
    public Ordering Final => Optimized?.Ordering ?? Fix?.Ordering ?? Original;
}
