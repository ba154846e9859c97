namespace Checker.Language;

/// <summary>
/// What the checker accepts (README "Limits"). Every limit is enforced with a diagnostic, never by a crash
/// or by running out of memory: they keep the model's page sets within one 64-bit mask, every actor within
/// a byte-sized index, and exhaustive search's visited table within about a gigabyte.
/// </summary>
public static class Limits
{
    /// <summary>The largest ordering file read, in bytes.</summary>
    public const int MaxFileBytes = 1 << 20;
    /// <summary>The most user pages an ordering may have (one 64-bit mask).</summary>
    public const int MaxPages = 64;
    /// <summary>The most CPUs.</summary>
    public const int MaxCpus = 8;
    /// <summary>The most secondary TLBs (devices and shadows together).</summary>
    public const int MaxSecondaries = 8;
    /// <summary>The most threads.</summary>
    public const int MaxThreads = 16;
    /// <summary>The most ops in one thread.</summary>
    public const int MaxOpsPerThread = 256;
    /// <summary>The most distinct lock names.</summary>
    public const int MaxLockNames = 32;
    /// <summary>The largest preemption bound.</summary>
    public const int MaxBound = 16;
    /// <summary>The largest schedule budget.</summary>
    public const long MaxSchedules = 1_000_000_000;
    /// <summary>The largest state budget of exhaustive search.</summary>
    public const long MaxStates = 50_000_000;
}
