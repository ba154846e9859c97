using System.Text;

namespace Checker.Cli.Terminal;

/// <summary>
/// A plain-text table whose columns are two spaces apart, fitted to a width: when the rows are wider than it,
/// the widest of the columns marked wrappable is narrowed, again and again, down to <see cref="MinWrapWidth"/>,
/// and their cells wrapped onto continuation lines (at spaces, or after a hyphen or underscore of a word too long for the column), so that no line is
/// wider than the terminal while every word stays on the screen. Colour, when asked for, is applied after the
/// padding so that escape sequences never count as width.
/// </summary>
public sealed class TextTable(string[] header)
{
    public const int MinWrapWidth = 8;

    private readonly List<(string[] Cells, string?[] Colors)> rows = [(header, new string?[header.Length])];

    /// <summary>Columns that may be narrowed and wrapped.</summary>
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
            // narrow the widest wrappable column one character at a time: the columns end up balanced
            int total = 2 * (n - 1);
            foreach (int w in widths) total += w;
            while (total > limit)
            {
                int widest = -1;
                foreach (int col in Wrappable)
                    if (widths[col] > MinWrapWidth && (widest < 0 || widths[col] > widths[widest])) widest = col;
                if (widest < 0) break;
                widths[widest]--;
                total--;
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

    /// <summary>Splits a cell into lines of at most <paramref name="width"/> characters at spaces, or after a
    /// hyphen or underscore of a word too long for a line (<c>stale-secondary-</c> / <c>after-flush</c>); a piece still too long
    /// is cut.</summary>
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
            bool first = true;
            foreach (var piece in Pieces(word, width))
            {
                bool space = first && current.Length > 0;
                if (current.Length > 0 && current.Length + (space ? 1 : 0) + piece.Length > width)
                {
                    lines.Add(current.ToString());
                    current.Clear();
                    space = false;
                }
                if (space) current.Append(' ');
                current.Append(piece);
                first = false;
            }
        }
        if (current.Length > 0) lines.Add(current.ToString());
        return lines;
    }

    /// <summary>A word as it may be broken: whole when it fits, else after each hyphen or underscore, each piece cut to the width.</summary>
    private static List<string> Pieces(string word, int width)
    {
        var pieces = new List<string>();
        if (word.Length <= width)
        {
            pieces.Add(word);
            return pieces;
        }
        int start = 0;
        for (int i = 0; i < word.Length; i++)
        {
            if (word[i] is not ('-' or '_') && i != word.Length - 1) continue;
            string piece = word[start..(i + 1)];
            while (piece.Length > width)
            {
                pieces.Add(piece[..width]);
                piece = piece[width..];
            }
            pieces.Add(piece);
            start = i + 1;
        }
        return pieces;
    }
}
