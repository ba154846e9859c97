using Checker.Cli;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Cli;

public class ValidateCommandTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void TheCatalogValidates()
    {
        var (exit, output, error) = Run("validate", CatalogFiles.Directory);
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("fork-6.0.order: ok (fork: per-vma end() ir before the single flush_tlb_mm (4.14-6.5))", output);
    }

    [Fact]
    public void ABadFilePrintsItsDiagnosticsAndExitsWithOne()
    {
        string path = Path.Combine(Path.GetTempPath(), $"checker-bad-{Guid.NewGuid():N}.order");
        File.WriteAllText(path, "kernel 6.6\nthread t\n  ptl_lock\n");
        try
        {
            var (exit, _, error) = Run("validate", path);
            Assert.Equal(1, exit);
            Assert.Equal($"{path}:3:3: error: thread 't' ends holding ptl (taken here) — add ptl_unlock before the thread ends\n", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AMissingFileIsBadInput() => Assert.Equal(1, Run("validate", "/no/such/file.order").Exit);

    [Fact]
    public void AnUnknownCommandIsBadUsage() => Assert.Equal(1, Run("frobnicate").Exit);
}
