using System.Reflection;
using Xunit.Sdk;

namespace Checker.Xunit;

/// <summary>
/// Gives a <c>[Theory]</c> one <see cref="OrderingFile"/> per file matching <see cref="Pattern"/>; the test calls
/// <see cref="OrderingFile.Check()"/>:
/// <code>
/// [Theory, OrderingProperty("orderings/*.order")]
/// public void ExpectationHolds(OrderingFile ordering) => ordering.Check();
/// </code>
/// The pattern (<c>*</c> and <c>?</c> in the file name, <c>**</c> for every directory below) is relative to the test
/// assembly's directory or the nearest directory above it where it matches. A pattern that matches nothing fails the
/// theory ("no data found") rather than passing vacuously.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OrderingPropertyAttribute : DataAttribute
{
    /// <summary>The files named by <paramref name="pattern"/>, e.g. <c>orderings/*.order</c>.</summary>
    public OrderingPropertyAttribute(string pattern) => Pattern = pattern;

    /// <summary>Which files to check.</summary>
    public string Pattern { get; }

    /// <inheritdoc/>
    public override IEnumerable<object[]> GetData(MethodInfo testMethod)
    {
        var (files, root) = FileGlob.Find(Pattern);
        foreach (var f in files) yield return [new OrderingFile(f, FileGlob.Display(f, root))];
    }
}
