using System.Text;

namespace Checker.Cli.Terminal;

/// <summary>
/// A plain-text table whose columns are two spaces apart, fitted to a width: when the rows are wider than it,
/// the columns marked wrappable (in the order given) are narrowed, down to <see cref="MinWrapWidth"/>, and their
/// cells wrapped at spaces onto continuation lines (a word longer than the column is cut), so that no line is
/// wider than the terminal while every word stays on the screen. Colour, when asked for, is applied after the
/// padding so that escape sequences never count as width.
/// </summary>
public sealed class TextTable(string[] header)
{
    public const int MinWrapWidth = 12;

    private readonly List<(string[] Cells, string?[] Colors)> rows = [(header, new string?[header.Length])];

    /// <summary>Columns that may be narrowed and wrapped, the first given narrowed first.</summary>
    public List<int> Wrappable { get; } = [];

    /// <summary>Columns aligned to the right (numbers, times).</summary>
    public HashSet<int> RightAligned { get; } = [];

    public void Add(string[] cells, string?[]? colors = null) => rows.Add((cells, colors ?? new string?[cells.Length]));

    public string Render(int? width, bool color)
    {
        int n = rows[0].Cells.Length;
        var widths = new int[n];
        foreach (var (cells, _) in rows)
            for (int i = 0; i < n; i++) widths[i] = Math.Max(widths[i], cells[i].Length);
        if (width is { } limit)
        {
            int total = 2 * (n - 1);
            foreach (int w in widths) total += w;
            foreach (int col in Wrappable)
            {
                if (total <= limit) break;
                int narrowed = Math.Max(MinWrapWidth, widths[col] - (total - limit));
                if (narrowed >= widths[col]) continue;
                total -= widths[col] - narrowed;
                widths[col] = narrowed;
            }
        }
        var sb = new StringBuilder();
        foreach (var (cells, colors) in rows)
        {
            var wrapped = new List<string>[n];
            int height = 1;
            for (int i = 0; i < n; i++)
            {
                wrapped[i] = Wrap(cells[i], widths[i]);
                height = Math.Max(height, wrapped[i].Count);
            }
            for (int line = 0; line < height; line++)
            {
                var text = new StringBuilder();
                for (int i = 0; i < n; i++)
                {
                    string cell = line < wrapped[i].Count ? wrapped[i][line] : "";
                    string padded = RightAligned.Contains(i) ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]);
                    if (color && colors[i] is { } sgr && cell.Length > 0)
                        padded = RightAligned.Contains(i) ? padded[..^cell.Length] + Ansi.Paint(cell, sgr) : Ansi.Paint(cell, sgr) + padded[cell.Length..];
                    text.Append(padded);
                    if (i < n - 1) text.Append("  ");
                }
                sb.Append(text.ToString().TrimEnd()).Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>Splits a cell into lines of at most <paramref name="width"/> characters at spaces.</summary>
    public static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        if (text.Length <= width)
        {
            lines.Add(text);
            return lines;
        }
        var current = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            string rest = word;
            if (current.Length > 0 && current.Length + 1 + rest.Length > width)
            {
                lines.Add(current.ToString());
                current.Clear();
            }
            while (rest.Length > width)
            {
                if (current.Length > 0)
                {
                    lines.Add(current.ToString());
                    current.Clear();
                }
                lines.Add(rest[..width]);
                rest = rest[width..];
            }
            if (current.Length > 0) current.Append(' ');
            current.Append(rest);
        }
        if (current.Length > 0) lines.Add(current.ToString());
        return lines;
    }
}
