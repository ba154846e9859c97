using Checker.Model;

namespace Checker.Exploration;

/// <summary>One node on a depth-first search's stack: the parent state, its enabled choices, and — after the
/// node is expanded — the choices whose child was new to the visited table (<see cref="Kept"/>[0..<see cref="Count"/>)),
/// of which the first <see cref="Next"/> have been taken. Allocated once per depth and reused.</summary>
internal sealed class SearchLevel(CompiledOrdering program, int capacity)
{
    public ModelState Parent { get; } = new(program);
    public int ParentEnv;
    public int ParentSteps;
    public Choice[] Choices { get; } = new Choice[capacity];
    public ulong[] Hash { get; } = new ulong[capacity];
    public int[] Env { get; } = new int[capacity];
    public Choice[] Kept { get; } = new Choice[capacity];
    public int Count;
    public int Next;
}
