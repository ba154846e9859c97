namespace Checker.Cli;

/// <summary>The CLI's exit codes (DESIGN §6).</summary>
public static class ExitCodes
{
    /// <summary>Every expectation met (or no violation when none was stated); input valid.</summary>
    public const int Ok = 0;

    /// <summary>Bad input or usage.</summary>
    public const int BadInput = 1;

    /// <summary>A violation, or an unmet expectation.</summary>
    public const int Violation = 2;

    /// <summary>A bug in the checker.</summary>
    public const int InternalError = 3;
}
