using System.Text.RegularExpressions;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Architecture;

/// <summary>
/// Behaviour that differs by kernel release is a row of the release table (Vocabulary/ReleaseRuleInfo.cs), never
/// an <c>if</c> on a version: outside Vocabulary/, no source compares releases, builds one, reads its numbers or
/// names an era as a string.
/// </summary>
public sealed partial class ReleaseComparisonTests
{
    [Fact]
    public void NoSourceOutsideTheReleaseTableComparesReleases()
    {
        var offending = new List<string>();
        foreach (var dir in new[] { "src", "generators", "bench/Checker.Benchmarks" })
        {
            foreach (var file in Directory.EnumerateFiles(RepositoryFiles.PathOf(dir), "*.cs", SearchOption.AllDirectories))
            {
                string rel = Path.GetRelativePath(RepositoryFiles.Root, file).Replace('\\', '/');
                if (rel.Contains("/obj/") || rel.Contains("/bin/") || rel.StartsWith("src/Checker.Core/Vocabulary/", StringComparison.Ordinal)) continue;
                string[] lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                {
                    string code = Comment().Replace(lines[i], "");
                    if (VersionComparison().IsMatch(code)) offending.Add($"{rel}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }
        Assert.True(offending.Count == 0, "ask the release table (RuleSet.Has) instead:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void TheCheckCatchesAPlantedComparison()
    {
        Assert.Matches(VersionComparison(), "if (program.Kernel >= KernelRelease.Default) Flush();");
        Assert.Matches(VersionComparison(), "if (kernel == \"6.6\") ops.Add(x);");
        Assert.Matches(VersionComparison(), "bool old = ordering.Kernel.Minor < 5;");
        Assert.Matches(VersionComparison(), "if (KernelRelease.Default < program.Kernel) Flush();");
        Assert.DoesNotMatch(VersionComparison(), "var k = Find<HeaderLine.Kernel>()?.Release ?? KernelRelease.Default;");
        Assert.DoesNotMatch(VersionComparison(), "bool kernel = Kind == ThreadKind.Kernel;");
        Assert.DoesNotMatch(VersionComparison(), "if (rules.Has(ReleaseRule.ArchFlushInvalidatesSecondaries)) Flush();");
    }

    [GeneratedRegex(@"\.Kernel\s*(==|!=|<=?|>=?)\s|new KernelRelease\b|\.(Major|Minor)\b|(==|!=)\s*""\d+\.\d+""|""\d+\.\d+""\s*(==|!=)|KernelRelease\.\w+\s*(<|>)|\s(<|>)=?\s*KernelRelease\.")]
    private static partial Regex VersionComparison();

    [GeneratedRegex(@"//.*$")]
    private static partial Regex Comment();
}
