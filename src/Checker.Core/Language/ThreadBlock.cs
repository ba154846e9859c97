using Checker.Text;

namespace Checker.Language;

/// <summary>A <c>thread NAME [cpu|device|shadow K]</c> block and its ops.</summary>
public sealed record ThreadBlock(string Name, ThreadKind Kind, int Index, EquatableArray<OpLine> Ops)
{
    public SourcePos Pos { get; init; }

    public Trivia Trivia { get; init; } = Trivia.None;

    public string HeaderText() => Kind switch
    {
        ThreadKind.Kernel => $"thread {Name}",
        ThreadKind.Cpu => $"thread {Name} cpu {Index}",
        ThreadKind.Device => $"thread {Name} device {Index}",
        _ => $"thread {Name} shadow {Index}",
    };
}
