namespace Checker.Cli.Terminal;

/// <summary>
/// What the CLI knows of the screen its results go to: how wide it is (<see cref="Width"/>, null when there is no
/// limit) and whether to colour (<see cref="Color"/>). Passed down explicitly, never read from a static, so that
/// tests force a width or colour without touching the process's console.
/// </summary>
public sealed record TerminalInfo(int? Width, bool Color)
{
    /// <summary>No width limit, no colour: what a file, a pipe or a test gets.</summary>
    public static readonly TerminalInfo Plain = new(null, false);

    /// <summary>The process's own stdout. Width: <c>COLUMNS</c> when set to a number, else the console window's
    /// width when stdout is a terminal, else no limit. Colour: only when stdout is a terminal and
    /// <c>NO_COLOR</c> is unset or empty (https://no-color.org).</summary>
    public static TerminalInfo ForConsole()
    {
        bool tty = !Console.IsOutputRedirected;
        int? width = null;
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns > 0) width = columns;
        else if (tty)
        {
            try
            {
                if (Console.WindowWidth > 0) width = Console.WindowWidth;
            }
            catch (IOException)
            {
                // no console window after all: no limit
            }
        }
        return new TerminalInfo(width, tty && !NoColor);
    }

    /// <summary>Whether <c>NO_COLOR</c> asks for no colour (set and not empty).</summary>
    public static bool NoColor => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
