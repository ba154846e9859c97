namespace Checker.Cli;

/// <summary>Checks, before anything runs, that an output option names a file in an existing directory.</summary>
public static class OutputFiles
{
    public static void Validate(CommandLine line, string command, string option, string example)
    {
        if (line.Value(option) is not { } path) return;
        string? dir = path.Length == 0 ? null : Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is null || Directory.Exists(path) || !Directory.Exists(dir))
            line.Fail($"checker {command}: error: {option} needs a file in an existing directory, found '{path}' — e.g. '{option} {example}'");
    }
}
