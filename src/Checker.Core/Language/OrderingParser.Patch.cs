using Checker.Text;
using Checker.Vocabulary;

namespace Checker.Language;

/// <summary>Issue 15: the <c>patch RULE</c> header, a helper change (the rule's later behaviour in this file's release).</summary>
public sealed partial class OrderingParser
{
    private HeaderLine? ParsePatch(List<Token> t, SourcePos pos)
    {
        if (!Arity(t, 1, 1, "a release rule's name", "patch nested-finish-fullmm")) return null;
        if (ReleaseRuleInfo.TryGet(t[1].Text, out var rule)) return new HeaderLine.Patch(rule, pos);
        var names = new List<string>();
        foreach (var row in ReleaseRuleInfo.All)
            if (row.AskedByModel) names.Add(row.Name);
        var s = Suggest.Closest(t[1].Text, names);
        Error(t[1], $"unknown release rule '{t[1].Text}'",
            s is not null ? $"did you mean '{s}'? ('checker list' prints the release rules)" : "the rules are: " + string.Join(", ", names));
        return null;
    }
}
