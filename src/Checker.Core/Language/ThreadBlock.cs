using Checker.Text;

namespace Checker.Language;

/// <summary>A <c>thread NAME [cpu|device|shadow K]</c> block and its ops.</summary>
public sealed record ThreadBlock(string Name, ThreadKind Kind, int Index, EquatableArray<OpLine> Ops)
{
    /// <summary>Where the <c>thread</c> line is.</summary>
    public SourcePos Pos { get; init; }

    /// <summary>Comments and blank lines around the <c>thread</c> line, kept for printing.</summary>
    public Trivia Trivia { get; init; } = Trivia.None;

    /// <summary>§7: the mm a kernel thread runs on (<c>thread NAME mm 1</c>; 0 by default).</summary>
    public int Mm { get; init; }

    /// <summary>The <c>thread</c> line as text.</summary>
    public string HeaderText() => Kind switch
    {
        ThreadKind.Kernel => Mm != 0 ? $"thread {Name} mm {Mm}" : $"thread {Name}",
        ThreadKind.Cpu => $"thread {Name} cpu {Index}",
        ThreadKind.Device => $"thread {Name} device {Index}",
        ThreadKind.Gup => $"thread {Name} gup {Index}", // §7
        _ => $"thread {Name} shadow {Index}",
    };
}
