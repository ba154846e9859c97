namespace Checker.Xunit;

/// <summary>
/// Finds the files a pattern such as <c>orderings/*.order</c> or <c>orderings/**/*.order</c> names. The pattern is
/// relative to the test assembly's directory or, when nothing matches there, to the nearest directory above it
/// where something does — so files kept in the test project need not be copied to the output.
/// </summary>
internal static class FileGlob
{
    /// <summary>The matching files, full paths in ordinal order, and the directory the pattern was resolved in.</summary>
    public static (string[] Files, string Root) Find(string pattern, string? start = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        pattern = pattern.Replace('\\', '/');
        if (Path.IsPathRooted(pattern))
            return (Match(pattern), Path.GetPathRoot(pattern)!);
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var files = Match(Path.Combine(dir.FullName, pattern));
            if (files.Length > 0) return (files, dir.FullName);
        }
        return ([], start ?? AppContext.BaseDirectory);
    }

    private static string[] Match(string fullPattern)
    {
        string dir = Path.GetDirectoryName(fullPattern) ?? ".";
        string name = Path.GetFileName(fullPattern);
        var option = SearchOption.TopDirectoryOnly;
        if (Path.GetFileName(dir) == "**")
        {
            dir = Path.GetDirectoryName(dir) ?? ".";
            option = SearchOption.AllDirectories;
        }
        if (!Directory.Exists(dir)) return [];
        var files = Directory.GetFiles(dir, name, option);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>The path as the test list shows it: relative to the directory the pattern was resolved in.</summary>
    public static string Display(string path, string root) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
