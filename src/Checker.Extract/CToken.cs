namespace Checker.Extract;

/// <summary>The kinds of C token the extractor tells apart.</summary>
public enum CTokenKind { Identifier, Number, String, Char, Punct }

/// <summary>One C token of an active (not #if'd out) line, with the 1-based line it came from.</summary>
public readonly record struct CToken(CTokenKind Kind, string Text, int Line)
{
    public bool Is(string text) => Text == text;
    public bool IsIdent => Kind == CTokenKind.Identifier;
    public override string ToString() => Text;
}
