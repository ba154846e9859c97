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
}
