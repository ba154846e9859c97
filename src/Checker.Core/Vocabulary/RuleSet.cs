namespace Checker.Vocabulary;

/// <summary>The release rules in force for one release, as a bit set: what the model asks, once per decision.</summary>
public readonly record struct RuleSet(ulong Bits)
{
    /// <summary>The rules in force in a release.</summary>
    public static RuleSet For(KernelRelease release)
    {
        ulong bits = 0;
        foreach (var row in ReleaseRuleInfo.All)
            if (row.HoldsIn(release)) bits |= 1UL << (int)row.Rule;
        return new RuleSet(bits);
    }

    /// <summary>True when the rule is in force.</summary>
    public bool Has(ReleaseRule rule) => (Bits >> (int)rule & 1) != 0;

    /// <summary>The set with <paramref name="rule"/> in force or not (issue 15: a <c>patch</c> line).</summary>
    public RuleSet With(ReleaseRule rule, bool holds) =>
        new(holds ? Bits | 1UL << (int)rule : Bits & ~(1UL << (int)rule));
}
