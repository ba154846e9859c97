using Xunit.Sdk;

namespace Checker.Xunit;

/// <summary>An ordering's expectation was not met, or a trace no longer reproduces: the message says which, with the
/// counterexample's step table. An <see cref="XunitException"/>, so xunit prints the message without a stack trace
/// into this library.</summary>
public sealed class OrderingCheckException : XunitException
{
    /// <summary>A failure with the given report.</summary>
    public OrderingCheckException(string message) : base(message)
    {
    }
}
