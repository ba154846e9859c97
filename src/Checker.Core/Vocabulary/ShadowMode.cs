namespace Checker.Vocabulary;

/// <summary>A shadow-table secondary MMU's fault protocol (DESIGN §3.2).</summary>
public enum ShadowMode : byte
{
    /// <summary><c>mmu_interval_read_begin</c> / <c>mmu_interval_read_retry</c> as Documentation/mm/hmm.rst prescribes.</summary>
    Interval,

    /// <summary>A deliberately broken driver that installs without the retry check.</summary>
    NoRetry,
}
