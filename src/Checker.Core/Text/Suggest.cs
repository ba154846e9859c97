namespace Checker.Text;

/// <summary>"Did you mean …?" for misspelt keywords: the closest candidate by edit distance, if close enough.</summary>
internal static class Suggest
{
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        string? prefixed = null;
        int prefixMatches = 0;
        foreach (var candidate in candidates)
        {
            if (word.Length >= 3 && candidate.StartsWith(word, StringComparison.Ordinal))
            {
                prefixed = candidate;
                prefixMatches++;
            }
        }
        if (prefixMatches == 1) return prefixed;
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            int d = Distance(word, candidate);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }
        int allowed = Math.Max(1, Math.Min(word.Length, best?.Length ?? 0) / 3);
        return best is not null && bestDistance <= allowed ? best : null;
    }

    /// <summary>Levenshtein distance with transpositions counted as one edit.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int v = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    v = Math.Min(v, d[i - 2, j - 2] + 1);
                d[i, j] = v;
            }
        }
        return d[a.Length, b.Length];
    }
}
