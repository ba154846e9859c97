using Checker.Generators;
using Checker.Language;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Properties.Laws;

/// <summary>
/// Law 6: printing and parsing are inverse on generated orderings: <c>parse(print(o)) == o</c> for every
/// generated ordering, and <c>print(parse(t)) == t</c> for every generated text (which is canonical).
/// </summary>
public class LanguageLaws(ITestOutputHelper output)
{
    public static Property PrintAndParseAreInverse(Func<Ordering, string> print) =>
        Prop.ForAll(Arb.From(OrderingGen.Text(), _ => []), text =>
        {
            var parsed = OrderingParser.Parse(text, OrderingGen.FileName);
            if (!parsed.Ok) return false.Label("a generated text does not parse:\n" + string.Join("\n", parsed.Diagnostics));
            var ordering = parsed.Ordering!;
            string printed = print(ordering);
            var reparsed = OrderingParser.Parse(printed, OrderingGen.FileName);
            return (printed == text).Label($"print(parse(t)) == t; printed:\n{printed}")
                .And((reparsed.Ok && reparsed.Ordering! == ordering).Label("parse(print(o)) == o"))
                .Classify(text.Contains("~0", StringComparison.Ordinal) || text.Contains("0x", StringComparison.Ordinal), "strange ranges")
                .Classify(text.Contains(" ro\n", StringComparison.Ordinal), "read-only installs or changes")
                .Classify(text.Contains("  if ", StringComparison.Ordinal), "conditional ops")
                .Classify(ordering.Threads.Count > 1, "several threads");
        });

    [Property(MaxTest = 200, QuietOnSuccess = false)]
    public Property PrintingAndParsingAreInverseOnGeneratedOrderings() => PrintAndParseAreInverse(OrderingPrinter.Print);

    [Fact]
    public void ThePrinterLawCatchesAPrinterThatDropsReadOnly()
    {
        // a planted bug: the printer leaves out pte_install's "ro"
        string? report = Falsify.Run(PrintAndParseAreInverse(o => OrderingPrinter.Print(o).Replace(" ro\n", "\n", StringComparison.Ordinal)
            .Replace("pte_install 0 1 ro", "pte_install 0 1", StringComparison.Ordinal)), maxTest: 300);
        Assert.True(report is not null, "the printer law did not catch a printer that drops 'ro'");
        output.WriteLine(report);
    }
}
