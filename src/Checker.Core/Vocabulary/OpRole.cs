namespace Checker.Vocabulary;

/// <summary>Which threads may run an op.</summary>
public enum OpRole : byte
{
    /// <summary>Kernel threads only.</summary>
    Kernel,

    /// <summary>Any thread (kernel or explicit environment).</summary>
    Any,

    /// <summary>Explicit environment threads (cpu, device, shadow).</summary>
    Environment,
}
