
using Checker.Vocabulary;

namespace Checker.Language;

/// <summary>
/// One op of a thread, as written: <c>[if COND] OP ARGS…</c>. Which of the optional arguments are set follows
/// from the op's <see cref="ArgShape"/>.
/// </summary>
public sealed record OpLine(
    OpCode Code,
    Condition? If = null,
    RangeArg? Range = null,
    Bound? Destination = null,
    string? LockName = null,
    bool? ReadOnly = null,
    PteState? Wait = null)
{
    /// <summary>Where the line starts (its <c>if</c>, or the op name).</summary>
    public SourcePos Pos { get; init; }

    /// <summary>Where the op name is written.</summary>
    public SourcePos NamePos { get; init; }

    /// <summary>Comments and blank lines around the line, kept for printing.</summary>
    public Trivia Trivia { get; init; } = Trivia.None;

    /// <summary>The op's row in the op table.</summary>
    public OpInfo Info => OpInfo.Of(Code);

    /// <summary>The op without its condition, as the language writes it (<c>pte_install 0 2 ro</c>).</summary>
    public string OpText()
    {
        var text = Info.Name;
        if (LockName is not null) text += " " + LockName;
        if (Range is not null) text += " " + Range;
        if (Destination is { } d) text += " " + d;
        if (Wait is { } w) text += " " + PteStateName(w);
        if (Code == OpCode.PteFreeTlb) return ReadOnly == true ? text + " nobatch" : text; // §7: the flag is nobatch
        if (ReadOnly is { } ro && (Code == OpCode.ChangeProtection || ro)) text += ro ? " ro" : " rw";
        return text;
    }

    /// <inheritdoc/>
    public override string ToString() => If is null ? OpText() : $"if {If} {OpText()}";

    /// <summary>The state's word in the language.</summary>
    public static string PteStateName(PteState state) => state switch
    {
        PteState.None => "none",
        PteState.Present => "present",
        PteState.Readonly => "readonly",
        _ => "writable",
    };
}
