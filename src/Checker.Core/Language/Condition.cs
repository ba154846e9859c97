using Checker.Vocabulary;

namespace Checker.Language;

/// <summary>The condition of <c>if COND OP</c>; <see cref="Page"/> is used by the <c>pte_*</c> tests.</summary>
public sealed record Condition(ConditionKind Kind, bool Negated, RangeArg? Page, SourcePos Pos)
{
    /// <summary>The condition's word in the language.</summary>
    public static string NameOf(ConditionKind kind) => kind switch
    {
        ConditionKind.TlbFlushPending => "tlb_flush_pending",
        ConditionKind.TlbFlushNested => "tlb_flush_nested",
        ConditionKind.TlbFlushBatched => "tlb_flush_batched",
        ConditionKind.PteNone => "pte_none",
        ConditionKind.PtePresent => "pte_present",
        ConditionKind.PteReadonly => "pte_readonly",
        ConditionKind.PteWritable => "pte_writable",
        // §8 dirty data (issue 13)
        ConditionKind.PteDirty => "pte_dirty",
        ConditionKind.PteProtnone => "pte_protnone",
        ConditionKind.PteAccessible => "pte_accessible",
        ConditionKind.ForceFlush => "force_flush",
        _ => "unflushed",
    };

    /// <summary>True for the conditions that test one page's PTE.</summary>
    public static bool TakesPage(ConditionKind kind) => kind is >= ConditionKind.PteNone and <= ConditionKind.PteAccessible;

    /// <summary>§8: the second condition of <c>if C1 or C2 OP</c> (the op runs when either holds), or null.</summary>
    public Condition? Or { get; init; }

    /// <summary>§8: true for the conditions of DESIGN §8.3 (dirty data).</summary>
    public static bool IsDirtyData(ConditionKind kind) => kind >= ConditionKind.PteDirty;

    /// <summary>The release rule a condition needs (DESIGN §3.7 availability), or null when it exists in every release.</summary>
    public static ReleaseRule? Requires(ConditionKind kind) => kind switch
    {
        ConditionKind.TlbFlushPending => ReleaseRule.TlbFlushPending,
        ConditionKind.TlbFlushNested => ReleaseRule.TlbFlushPendingCounter,
        ConditionKind.TlbFlushBatched => ReleaseRule.TlbFlushBatched,
        _ => null,
    };

    /// <inheritdoc/>
    public override string ToString() => (Negated ? "!" : "") + NameOf(Kind) + (Page is { } p ? " " + p : "") + (Or is { } or ? " or " + or : "");
}
