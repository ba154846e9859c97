using Checker.Language;
using FsCheck;
using FsCheck.Fluent;
using Checker.Vocabulary;

namespace Checker.Generators;

/// <summary>
/// Text a user might feed the parser by mistake or malice: arbitrary strings, soups of the language's own
/// tokens, and valid orderings with one mutation — a token replaced, deleted, duplicated or inserted, a line
/// dropped, duplicated, moved or re-indented, a character changed. For the parser-robustness property:
/// whatever the text, parsing gives an ordering or diagnostics, never an exception or a hang.
/// </summary>
public static class HostileTextGen
{
    private static readonly string[] Vocabulary = BuildVocabulary();

    public static Gen<string> Any() => Gen.Frequency(
        (1, ArbMap.Default.ArbFor<string>().Generator.Select(s => s ?? "")),
        (1, Soup()),
        (4, Mutated()));

    /// <summary>Lines of random tokens from the language, some indented.</summary>
    public static Gen<string> Soup() =>
        from lines in Gen.ListOf(
            from indent in Gen.Elements("", "", "  ", "\t", " ")
            from tokens in Gen.ListOf(Gen.Elements(Vocabulary))
            select indent + string.Join(" ", tokens))
        select string.Join("\n", lines);

    /// <summary>A valid ordering with one random mutation.</summary>
    public static Gen<string> Mutated() =>
        from text in OrderingGen.Text()
        from kind in Gen.Choose(0, 7)
        from a in Gen.Choose(0, int.MaxValue)
        from b in Gen.Choose(0, int.MaxValue)
        from token in Gen.Elements(Vocabulary)
        select Mutate(text, kind, a, b, token);

    public static Arbitrary<string> Arbitrary() => Arb.From(Any());

    private static string Mutate(string text, int kind, int a, int b, string token)
    {
        var lines = new List<string>(text.Split('\n'));
        int li = a % lines.Count;
        var words = new List<string>(lines[li].Split(' '));
        int wi = b % words.Count;
        switch (kind)
        {
            case 0: words[wi] = token; break;
            case 1: words.RemoveAt(wi); break;
            case 2: words.Insert(wi, words[wi]); break;
            case 3: words.Insert(wi, token); break;
            case 4: lines.RemoveAt(li); return string.Join("\n", lines);
            case 5: lines.Insert(b % lines.Count, lines[li]); return string.Join("\n", lines);
            case 6: lines[li] = lines[li].StartsWith(' ') ? lines[li].TrimStart() : "  " + lines[li]; return string.Join("\n", lines);
            default:
            {
                if (text.Length == 0) return token;
                var chars = text.ToCharArray();
                const string replacements = "#~x!0\t\r\" -9:";
                chars[a % chars.Length] = replacements[b % replacements.Length];
                return new string(chars);
            }
        }
        lines[li] = string.Join(" ", words);
        return string.Join("\n", lines);
    }

    private static string[] BuildVocabulary()
    {
        var words = new List<string>();
        foreach (var op in OpInfo.All) words.Add(op.Name);
        words.AddRange(Words.Headers);
        words.AddRange(["3.10", "4.14", "4.19", "5.10", "6.0", "6.6", "6.19", "7.2", "4.21"]);
        words.AddRange(Words.Arches);
        words.AddRange(Words.Flavors);
        words.AddRange(Words.ShadowModes);
        words.AddRange(Words.PteStates);
        words.AddRange(Words.Conditions);
        words.AddRange(["thread", "cpu", "device", "shadow", "sva", "keeps-entry-on-fault", "if", "ro", "rw", "on", "off",
            "generated", "explicit", "pass", "violation", "use-after-free", "stale-secondary-after-flush",
            "0", "1", "2", "3", "63", "64", "65", "999999999999999999999", "-1", "~0", "~1", "0x", "0x1000", "0x10000000000000000",
            "0xfffffffffffffffff", "0xzz", "!", "!!pte_none", "#", "\"", "\"quoted name\"", "", "\t", "é", "\u0000", "thread:", "x:"]);
        return [.. words];
    }
}
