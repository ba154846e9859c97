namespace Checker.Cli;

/// <summary>What the help, docs/cli.md and the completion scripts say of an option or argument beyond its name
/// and description: the kind of value (<c>integer</c>, <c>file</c>, …; empty for a flag), its default and its
/// allowed range, and, for a closed set, the values (completed by the shell scripts).</summary>
public sealed record OptionInfo(string Type, string? Default = null, string? Range = null, IReadOnlyList<string>? Values = null)
{
    /// <summary>The kinds whose values the shell completes as paths.</summary>
    public bool IsFile => Type is "file" or "files" or "file or directory";

    public bool IsDirectory => Type is "directory";
}
