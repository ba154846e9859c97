using System.Text.Json.Serialization;
using Checker.Language;
using Checker.Text;
using Checker.Vocabulary;

namespace Checker.Cli.Json;

/// <summary>An ordering's <c>expect</c> line as data: <c>{"pass": true}</c> or <c>{"violations": ["id", …]}</c>
/// (an ordering without one has <c>"expect": null</c>).</summary>
public sealed record ExpectDocument(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Pass = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Violations = null)
{
    public static ExpectDocument? From(HeaderLine.Expect? expect)
    {
        if (expect is null) return null;
        if (expect.Pass) return new(Pass: true);
        var names = new List<string>(expect.Violations.Count);
        foreach (var id in expect.Violations) names.Add(Invariant.NameOf(id));
        return new(Violations: names);
    }

    /// <summary>The expectation this document states, or null (after saying why) when it is malformed: neither or
    /// both of <c>pass: true</c> and a non-empty list of known invariants.</summary>
    public HeaderLine.Expect? ToExpect(out string? problem)
    {
        problem = null;
        if (Pass == true && Violations is null) return new HeaderLine.Expect(new EquatableArray<InvariantId>([]), SourcePos.None);
        if (Pass is null && Violations is { Count: > 0 })
        {
            var ids = new InvariantId[Violations.Count];
            for (int i = 0; i < ids.Length; i++)
            {
                if (Violations[i] is not { } name || !Invariant.TryParse(name, out ids[i]))
                {
                    problem = $"an unknown invariant '{Violations[i]}' in 'expect'";
                    return null;
                }
            }
            return new HeaderLine.Expect(new EquatableArray<InvariantId>([.. ids]), SourcePos.None);
        }
        problem = "an 'expect' that is neither {\"pass\": true} nor {\"violations\": [\"id\", …]}";
        return null;
    }

    /// <summary>As the text prints it: <c>pass</c> or <c>violation a b</c>.</summary>
    public override string ToString() => Pass == true ? "pass" : "violation " + string.Join(" ", Violations ?? []);
}
