namespace Checker.Cli;

/// <summary>Checks, before anything runs, that an output option names a file in an existing directory, or a
/// directory that exists or can be made.</summary>
public static class OutputFiles
{
    public static void Validate(CommandLine line, string command, string option, string example)
    {
        if (line.Value(option) is not { } path) return;
        string? dir = path.Length == 0 ? null : Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is null || Directory.Exists(path) || !Directory.Exists(dir))
            line.Fail($"checker {command}: error: {option} needs a file in an existing directory, found '{path}' — e.g. '{option} {example}'");
    }

    /// <summary>A directory option (<c>--save-trace DIR</c>): it may not exist yet, but neither it nor any
    /// directory above it may be a file.</summary>
    public static void ValidateDirectory(CommandLine line, string command, string option, string example)
    {
        if (line.Value(option) is not { } path) return;
        string? blocker = null;
        if (path.Length > 0)
            for (string? p = Path.GetFullPath(path); p is not null && blocker is null; p = Path.GetDirectoryName(p))
                if (File.Exists(p)) blocker = p;
        if (path.Length == 0 || blocker is not null)
            line.Fail($"checker {command}: error: {option} needs a directory, found '{path}'"
                + (blocker is null ? "" : blocker == Path.GetFullPath(path) ? ", which is a file" : $", under the file '{blocker}'")
                + $" — e.g. '{option} {example}' (made when missing)");
    }
}
