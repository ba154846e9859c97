using System.Diagnostics;
using System.Globalization;
using Checker.Exploration;

namespace Checker.Cli;

/// <summary>
/// A one-line progress display on stderr for long runs, redrawn twice a second: orderings done, what the
/// running ones are doing (exhaustive search, then schedules sampled of the budget), schedules per second,
/// the share of the whole budget done and the time elapsed. Only when stderr is a terminal
/// (<see cref="Console.IsErrorRedirected"/> false) and the command writes to the real stderr; otherwise
/// <see cref="Start"/> returns null and nothing is shown. Fed through <see cref="IExplorationProgress"/> by
/// <see cref="Explorer.Check"/>: the exhaustive phase's states as it goes (with its rate and its share of the
/// state limit), then the schedules sampled.
/// </summary>
public sealed class ProgressReporter : IDisposable
{
    private readonly TextWriter error;
    private readonly ExplorationOptions options;
    private readonly IReadOnlyList<string> names;
    private readonly long budget;
    private readonly long[] schedules;
    private readonly long[] states;
    private readonly int[] phase; // 0 waiting, 1 exhaustive, 2 sampling, 3 done
    private readonly long[] started; // clock ticks when the ordering's current phase began
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Timer? timer;
    private readonly Lock gate = new();
    private readonly int columns;
    private int lastLength;
    private bool disposed;

    /// <summary>A reporter onto any writer; with <paramref name="redraw"/> false it draws only when
    /// <see cref="Draw"/> is called (tests).</summary>
    internal ProgressReporter(TextWriter error, ExplorationOptions options, IReadOnlyList<string> names, bool redraw = true, int columns = 0)
    {
        this.columns = columns;
        this.error = error;
        this.options = options;
        this.names = names;
        budget = options.Strategy == StrategyKind.Exhaustive ? 0
            : options.ScheduleShare;
        schedules = new long[names.Count];
        states = new long[names.Count];
        phase = new int[names.Count];
        started = new long[names.Count];
        if (redraw) timer = new Timer(_ => Draw(), null, 500, 500);
    }

    /// <summary>A reporter when stderr is a terminal, else null (quiet).</summary>
    public static ProgressReporter? Start(TextWriter error, ExplorationOptions options, IReadOnlyList<string> names) =>
        ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected ? new ProgressReporter(error, options, names) : null;

    /// <summary>The progress sink for ordering <paramref name="index"/>, which is starting now.</summary>
    public IExplorationProgress For(int index)
    {
        Volatile.Write(ref started[index], clock.ElapsedTicks);
        Volatile.Write(ref phase[index], options.Strategy is StrategyKind.Auto or StrategyKind.Exhaustive ? 1 : 2);
        return new Sink(this, index);
    }

    private sealed class Sink(ProgressReporter owner, int index) : IExplorationProgress
    {
        public void Searched(long states) => Volatile.Write(ref owner.states[index], states);

        public void Sampled(long schedules)
        {
            if (Volatile.Read(ref owner.phase[index]) == 1) Volatile.Write(ref owner.started[index], owner.clock.ElapsedTicks);
            Volatile.Write(ref owner.schedules[index], schedules);
            Volatile.Write(ref owner.phase[index], 2);
        }
    }

    public void Done(int index)
    {
        if (budget > 0) Volatile.Write(ref schedules[index], budget);
        Volatile.Write(ref phase[index], 3);
    }

    internal void Draw()
    {
        lock (gate)
        {
            if (disposed) return;
            int done = 0;
            long sampled = 0, searched = 0;
            double share = 0;
            string? running = null;
            bool searching = false;
            for (int i = 0; i < names.Count; i++)
            {
                int p = Volatile.Read(ref phase[i]);
                long n = Volatile.Read(ref schedules[i]);
                long searchedHere = Volatile.Read(ref states[i]);
                sampled += n;
                searched += searchedHere;
                if (p == 3)
                {
                    done++;
                    share += 1;
                    continue;
                }
                if (p == 0) continue;
                if (p == 1 && budget == 0) share += Math.Min(1, (double)searchedHere / options.StateLimit);
                else share += budget > 0 ? Math.Min(1, (double)n / budget) : 0;
                if (running is not null) continue;
                searching = p == 1;
                double phaseSeconds = Math.Max(0.001, (double)(clock.ElapsedTicks - Volatile.Read(ref started[i])) / Stopwatch.Frequency);
                running = p == 1
                    ? $"{names[i]}: exhaustive, {Count(searchedHere)} states ({Rate(searchedHere / phaseSeconds)}/s, {Percent(searchedHere, options.StateLimit)} of limit)"
                    : $"{names[i]}: {Count(n)}/{Count(budget)} schedules";
            }
            double seconds = clock.Elapsed.TotalSeconds;
            var line = new System.Text.StringBuilder($"checker [{done}/{names.Count}]");
            if (running is not null) line.Append(' ').Append(running);
            line.Append(" | ").Append((100 * share / Math.Max(1, names.Count)).ToString("0", CultureInfo.InvariantCulture)).Append("% of the budget");
            if (sampled > 0) line.Append(" | ").Append(Rate(sampled / Math.Max(seconds, 0.001))).Append(" schedules/s");
            if (searched > 0 && !searching) line.Append(" | ").Append(Count(searched)).Append(" states");
            line.Append(" | ").Append(seconds.ToString("0", CultureInfo.InvariantCulture)).Append(" s elapsed");
            string text = line.ToString();
            int room = Math.Max(20, (columns > 0 ? columns : Width()) - 1);
            if (text.Length > room) text = text[..(room - 1)] + "…";
            error.Write("\r" + text.PadRight(lastLength));
            lastLength = text.Length;
            error.Flush();
        }
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(long part, long whole) =>
        (100.0 * part / Math.Max(1, whole)).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Rate(double perSecond) =>
        perSecond >= 1e6 ? (perSecond / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + "M"
        : perSecond >= 1e3 ? (perSecond / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + "k"
        : perSecond.ToString("0", CultureInfo.InvariantCulture);

    private static int Width()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 100;
        }
        catch (IOException)
        {
            return 100;
        }
    }

    /// <summary>Stops redrawing and clears the line.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            timer?.Dispose();
            if (lastLength > 0)
            {
                error.Write("\r" + new string(' ', lastLength) + "\r");
                error.Flush();
            }
        }
    }
}
