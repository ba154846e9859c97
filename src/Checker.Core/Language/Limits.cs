namespace Checker.Language;

/// <summary>
/// What the checker accepts (README "Limits"). Every limit is enforced with a diagnostic, never by a crash
/// or by running out of memory: they keep the model's page sets within one 64-bit mask, every actor within
/// a byte-sized index, and exhaustive search's visited table within about a gigabyte.
/// </summary>
public static class Limits
{
    public const int MaxFileBytes = 1 << 20;
    public const int MaxPages = 64;
    public const int MaxCpus = 8;
    public const int MaxSecondaries = 8;
    public const int MaxThreads = 16;
    public const int MaxOpsPerThread = 256;
    public const int MaxLockNames = 32;
    public const int MaxBound = 16;
    public const long MaxSchedules = 1_000_000_000;
    public const long MaxStates = 50_000_000;
}
