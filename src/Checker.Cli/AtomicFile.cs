namespace Checker.Cli;

/// <summary>Writes a file whole or not at all: a temporary file in the same directory, then a rename.</summary>
public static class AtomicFile
{
    public static void Write(string path, string text)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>True, after a warning, when a counterexample is already saved at <paramref name="path"/>: a saved
    /// counterexample is never replaced unless <c>--overwrite</c> asks for it.</summary>
    public static bool Refuses(string path, TextWriter error)
    {
        if (!File.Exists(path)) return false;
        error.WriteLine($"{path}: warning: not overwritten — a counterexample is already saved there; pass --overwrite to replace it");
        return true;
    }
}
