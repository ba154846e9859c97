using System.Text.RegularExpressions;
using Checker.Cli;
using Checker.Language;
using Checker.Properties.Support;
using Checker.Vocabulary;
using Xunit;

namespace Checker.Properties.Docs;

/// <summary>
/// The user documentation (README.md, docs/) says what the code does: the tables of docs/language.md and docs/model.md
/// are the text <see cref="DocsTables"/> renders from the code's own tables (rewritten with CHECKER_UPDATE_GOLDEN=1),
/// every word of the language is explained somewhere, and nothing points outside the repository.
/// </summary>
public sealed class DocsDriftTests
{
    private static readonly string[] GeneratedDocs = ["docs/language.md", "docs/model.md"];

    private static string Read(string relative) => File.ReadAllText(RepositoryFiles.PathOf(relative)).ReplaceLineEndings("\n");

    public static TheoryData<string> DocData()
    {
        var data = new TheoryData<string>();
        foreach (var doc in GeneratedDocs) data.Add(doc);
        return data;
    }

    [Theory]
    [MemberData(nameof(DocData))]
    public void EveryGeneratedTableIsWhatTheCodeGives(string doc)
    {
        string committed = Read(doc);
        string fresh = DocsTables.Rewrite(committed);
        if (Golden.Updating)
        {
            File.WriteAllText(RepositoryFiles.PathOf(doc), fresh);
            return;
        }
        if (committed == fresh) return;
        var c = committed.Split('\n');
        var f = fresh.Split('\n');
        int line = 0;
        while (line < c.Length && line < f.Length && c[line] == f[line]) line++;
        Assert.Fail($"{doc} differs from the code's tables at line {line + 1}:\n  committed: {(line < c.Length ? c[line] : "(end)")}\n"
            + $"  generated: {(line < f.Length ? f[line] : "(end)")}\nIf the code changed on purpose, rerun with {Golden.UpdateVariable}=1 and review the diff of {doc}.");
    }

    [Fact]
    public void EveryGeneratedTableIsInSomeDoc()
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var doc in GeneratedDocs) DocsTables.Rewrite(Read(doc), found);
        foreach (var (name, _) in DocsTables.Blocks)
            Assert.True(found.Contains(name), $"no doc embeds the generated block '{name}': add {DocsTables.Begin(name)} … {DocsTables.End(name)} to docs/language.md or docs/model.md");
    }

    [Fact]
    public void ADriftedTableIsNoticedAndPutBack()
    {
        string doc = Read("docs/language.md");
        string planted = doc.Replace("| `" + OpInfo.Of(OpCode.FlushTlbMm).Name + "` |", "| `flush_tlb_everything` |", StringComparison.Ordinal);
        Assert.NotEqual(doc, planted);
        Assert.NotEqual(planted, DocsTables.Rewrite(planted));
        Assert.Equal(DocsTables.Rewrite(doc), DocsTables.Rewrite(planted));
    }

    [Fact]
    public void EveryWordOfTheLanguageIsExplained()
    {
        string text = Read("docs/language.md") + "\n" + Read("docs/model.md");
        var missing = new List<string>();
        void Need(string kind, string word)
        {
            if (!Regex.IsMatch(text, @"(?<![\w-])" + Regex.Escape(word) + @"(?![\w-])")) missing.Add($"{kind} '{word}'");
        }
        foreach (var op in OpInfo.All) Need("op", op.Name);
        foreach (var w in Words.Headers) Need("header", w);
        foreach (var w in Words.Conditions) Need("condition", w);
        foreach (var inv in Invariant.All) Need("invariant", inv.Name);
        foreach (var f in DriverFlavorInfo.All) Need("flavor", f.Name);
        foreach (var m in ShadowModeInfo.All) Need("shadow mode", m.Name);
        foreach (var a in Words.Arches) Need("arch", a);
        foreach (var r in ReleaseRuleInfo.All) Need("release rule", r.Name);
        Need("option", "keeps-entry-on-fault");
        Assert.True(missing.Count == 0, "docs/language.md and docs/model.md never mention: " + string.Join(", ", missing));
    }

    [Fact]
    public void NoUserDocPointsOutsideTheRepository()
    {
        var files = new List<string> { RepositoryFiles.PathOf("README.md") };
        files.AddRange(Directory.GetFiles(RepositoryFiles.PathOf("docs"), "*.md", SearchOption.AllDirectories));
        var wrong = new List<string>();
        foreach (var file in files)
        {
            string text = File.ReadAllText(file);
            foreach (var pointer in new[] { "../shared", "DESIGN.md", "DOMAIN.md" })
                if (text.Contains(pointer, StringComparison.Ordinal))
                    wrong.Add($"{Path.GetRelativePath(RepositoryFiles.Root, file)} mentions '{pointer}'");
        }
        Assert.True(wrong.Count == 0, "user docs must stand on their own: " + string.Join("; ", wrong));
    }

    [Fact]
    public void TheReadmeLinksTheDocsAndSaysHowToInstall()
    {
        string readme = Read("README.md");
        foreach (var link in new[] { "docs/language.md", "docs/model.md", "docs/cli.md" })
            Assert.Contains("(" + link + ")", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet pack src/Checker.Cli -c Release -o nupkg", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet tool install --global --add-source nupkg checker", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/Checker.Cli -c Release -- check catalog", readme, StringComparison.Ordinal);
    }
}
