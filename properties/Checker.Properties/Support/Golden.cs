using Xunit;

namespace Checker.Properties.Support;

/// <summary>
/// Golden files (properties/Checker.Properties/Golden/): the exact text a command printed, reviewed and
/// committed. A mismatch fails with the first differing line; the files are rewritten only when the
/// environment variable <c>CHECKER_UPDATE_GOLDEN=1</c> is set (then review the diff before committing).
/// </summary>
public static class Golden
{
    public const string UpdateVariable = "CHECKER_UPDATE_GOLDEN";

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>The repository root: the first directory above the test assembly that holds Checker.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Checker.sln"))) return dir.FullName;
            throw new InvalidOperationException("no Checker.sln above " + AppContext.BaseDirectory);
        }
    }

    public static string Directory => Path.Combine(RepositoryRoot, "properties", "Checker.Properties", "Golden");

    public static void Verify(string name, string actual)
    {
        actual = actual.ReplaceLineEndings("\n");
        string path = Path.Combine(Directory, name);
        if (Updating)
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"golden file {path} is missing — run the tests with {UpdateVariable}=1 to write it, then review it");
        string expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected == actual) return;
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        int line = 0;
        while (line < e.Length && line < a.Length && e[line] == a[line]) line++;
        Assert.Fail($"{name} differs from the golden file at line {line + 1}:\n  golden: {(line < e.Length ? e[line] : "(end)")}\n  actual: "
            + $"{(line < a.Length ? a[line] : "(end)")}\nIf the change is intended, rerun with {UpdateVariable}=1 and review the diff of {path}.");
    }
}
