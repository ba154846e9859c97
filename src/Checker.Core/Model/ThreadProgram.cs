using Checker.Language;

namespace Checker.Model;

/// <summary>A thread's slice of the flat op array.</summary>
internal sealed record ThreadProgram(string Name, ThreadKind Kind, int Unit, int FirstOp, int OpCount, int MaxNotifierDepth)
{
    public bool IsKernel => Kind == ThreadKind.Kernel;
}
