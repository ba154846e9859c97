using Checker.Language;

namespace Checker.Properties.Support;

/// <summary>The shipped catalog, copied next to the test assembly.</summary>
public static class CatalogFiles
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "catalog");

    public static string PathOf(string name) => Path.Combine(Directory, name + ".order");

    public static string Text(string name) => File.ReadAllText(PathOf(name));

    public static IEnumerable<string> Names()
    {
        var files = System.IO.Directory.GetFiles(Directory, "*.order");
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var f in files) yield return Path.GetFileNameWithoutExtension(f);
    }

    public static Ordering Parse(string name) => Models.Parse(Text(name), PathOf(name));
}
