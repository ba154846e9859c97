using Checker.Language;
using Checker.Model;

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

    /// <summary>Expands, parses and compiles; every problem (a missing path, each diagnostic) goes to
    /// <paramref name="error"/>, and the result is null when there was any — nothing runs on bad input.</summary>
    public static List<(string File, CompiledOrdering Program)>? Load(IEnumerable<string> paths, TextWriter error)
    {
        var files = Expand(paths, error, out bool ok);
        var programs = new List<(string, CompiledOrdering)>();
        foreach (var file in files)
        {
            var parsed = Parse(file);
            foreach (var d in parsed.Diagnostics) error.WriteLine(d); // errors, or warnings of a file that runs
            if (!parsed.Ok)
            {
                ok = false;
                continue;
            }
            programs.Add((file, CompiledOrdering.Compile(parsed.Ordering!)));
        }
        return ok ? programs : null;
    }
}
