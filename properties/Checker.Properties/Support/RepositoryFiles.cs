namespace Checker.Properties.Support;

/// <summary>Files of the repository itself (README, catalog/PAIRS), found by walking up from the test assembly.</summary>
public static class RepositoryFiles
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Checker.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("the tests must run inside the repository (no Checker.sln above " + AppContext.BaseDirectory + ")");
        }
    }

    public static string PathOf(string relative) => Path.Combine(Root, relative);
}
