using Checker.Language;

namespace Checker.Cli;

/// <summary>Finds and reads <c>.order</c> files named on the command line (a directory means every
/// <c>.order</c> file under it, sorted by path so runs are deterministic).</summary>
public static class OrderingFiles
{
    public static List<string> Expand(IEnumerable<string> paths, TextWriter error, out bool ok)
    {
        ok = true;
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.GetFiles(path, "*.order", SearchOption.AllDirectories);
                Array.Sort(found, StringComparer.Ordinal);
                if (found.Length == 0) error.WriteLine($"{path}: warning: no .order files in this directory");
                files.AddRange(found);
            }
            else if (File.Exists(path)) files.Add(path);
            else
            {
                error.WriteLine($"{path}:1:1: error: no such file or directory — check the path");
                ok = false;
            }
        }
        return files;
    }

    public static ParseResult Parse(string path) => OrderingParser.Parse(File.ReadAllText(path), path);
}
