using System.Text;

namespace Checker.Repair;

/// <summary>A unified diff (<c>diff -u</c> format, three lines of context) of two small texts, by longest common
/// subsequence of their lines: what <c>checker repair</c> prints for a reviewer to paste.</summary>
internal static class UnifiedDiff
{
    public static string Of(string a, string b, string nameA, string nameB, int context = 3)
    {
        var x = Lines(a);
        var y = Lines(b);
        int n = x.Length, m = y.Length;
        var lcs = new int[n + 1, m + 1];
        for (int i = n - 1; i >= 0; i--)
            for (int j = m - 1; j >= 0; j--)
                lcs[i, j] = x[i] == y[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        // the edit script: (' ', i, j) keep, ('-', i, -) delete, ('+', -, j) insert
        var script = new List<(char Op, int I, int J)>();
        {
            int i = 0, j = 0;
            while (i < n || j < m)
            {
                if (i < n && j < m && x[i] == y[j]) script.Add((' ', i++, j++));
                else if (i < n && (j == m || lcs[i + 1, j] >= lcs[i, j + 1])) script.Add(('-', i++, j));
                else script.Add(('+', i, j++));
            }
        }
        var sb = new StringBuilder();
        sb.Append("--- ").Append(nameA).Append('\n').Append("+++ ").Append(nameB).Append('\n');
        int k = 0;
        while (k < script.Count)
        {
            if (script[k].Op == ' ') { k++; continue; }
            int start = Math.Max(0, k - context), end = k;
            // extend the hunk while changes are within 2×context of each other
            while (true)
            {
                int next = end;
                while (next < script.Count && script[next].Op != ' ') next++;
                int gap = next;
                while (gap < script.Count && script[gap].Op == ' ') gap++;
                if (gap < script.Count && gap - next <= 2 * context) { end = gap; continue; }
                end = Math.Min(script.Count, next + context);
                break;
            }
            int aStart = script[start].I, bStart = script[start].J, aLen = 0, bLen = 0;
            for (int h = start; h < end; h++)
            {
                if (script[h].Op != '+') aLen++;
                if (script[h].Op != '-') bLen++;
            }
            sb.Append($"@@ -{(aLen == 0 ? aStart : aStart + 1)},{aLen} +{(bLen == 0 ? bStart : bStart + 1)},{bLen} @@\n");
            for (int h = start; h < end; h++)
                sb.Append(script[h].Op).Append(script[h].Op == '+' ? y[script[h].J] : x[script[h].I]).Append('\n');
            k = end;
        }
        return sb.ToString();
    }

    private static string[] Lines(string text)
    {
        if (text.EndsWith('\n')) text = text[..^1];
        return text.Length == 0 ? [] : text.Split('\n');
    }
}
