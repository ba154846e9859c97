using System.Text.RegularExpressions;
using Checker.Exploration;
using Checker.Properties.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Checker.Properties.Robustness;

/// <summary>A truncated, corrupted or hand-edited trace gives a diagnostic with line and column, or a replay
/// that says where it diverged — never an exception.</summary>
public partial class TraceCorruptionTests
{
    private static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "counterexamples", "fork-6.0-only-end-no-ir.stale-secondary-after-flush.trace");

    private static string Text => File.ReadAllText(Path);

    [GeneratedRegex(@"^t\.trace:\d+:\d+: error: .+ — .+$", RegexOptions.Singleline)]
    private static partial Regex DiagnosticFormat();

    private static (Trace? Trace, string Diagnostics) Parse(string text)
    {
        var (trace, diagnostics) = TraceFile.Parse(text, "t.trace");
        foreach (var d in diagnostics) Assert.Matches(DiagnosticFormat(), d.ToString());
        return (trace, string.Join("\n", diagnostics));
    }

    [Fact]
    public void EveryTruncationIsDiagnosedNeverThrown()
    {
        string text = Text;
        // every cut that loses part of the trace (the last character is the newline after '--- end')
        for (int cut = 0; cut < text.Length - 1; cut++)
        {
            var (trace, diagnostics) = Parse(text[..cut]);
            Assert.True(trace is null, $"a trace cut at character {cut} of {text.Length} was accepted");
            Assert.NotEmpty(diagnostics);
        }
    }

    [Fact]
    public void AMissingEndLineSaysTheTraceIsTruncated()
    {
        var (_, diagnostics) = Parse(Text.Replace("--- end\n", ""));
        Assert.Matches(@"t\.trace:\d+:1: error: the trace is truncated: no '--- end' line after the schedule", diagnostics);
    }

    [Fact]
    public void StepsAddedToTheScheduleContradictTheRecordedCounts()
    {
        // 2,000 extra accesses after the violation: the replay alone would still say "reproduced"
        string text = Text.Replace("fork: mmap_write_unlock\n--- end", "fork: mmap_write_unlock\n" + string.Concat(Enumerable.Repeat("dev0: read 0\n", 2000)) + "--- end");
        int line = Array.IndexOf(Text.Split('\n'), "environment-actions 1") + 1;
        var (trace, diagnostics) = Parse(text);
        Assert.Null(trace);
        Assert.Contains($"t.trace:{line}:21: error: environment-actions says 1, but the schedule has 2001 — the schedule was edited after the trace was saved", diagnostics);
        Assert.Contains("context-switches says 1, but the schedule has 2", diagnostics);

        // with the counts corrected (or deleted) the edited schedule replays
        var (edited, none) = Parse(text.Replace("environment-actions 1\n", "").Replace("context-switches 1\n", ""));
        Assert.NotNull(edited);
        Assert.Empty(none);
        Assert.True(TraceFile.Replay(edited!).Reproduced);
    }

    [Fact]
    public void AnUnknownActorIsDiagnosedAtItsLine()
    {
        string text = Text.Replace("dev0: read 0", "dev9: read 0");
        int line = Array.IndexOf(text.Split('\n'), "dev9: read 0") + 1;
        var (_, diagnostics) = Parse(text);
        Assert.StartsWith($"t.trace:{line}:1: error: unknown actor 'dev9' — the actors of this ordering are: fork, dev0, alloc", diagnostics);
    }

    [Fact]
    public void AnEmbeddedOrderingThatNoLongerParsesIsDiagnosedAtTheTraceLine()
    {
        string text = Text.Replace("\n  pte_wrprotect 0 2\n", "\n  pte_wrprotekt 0 2\n");
        int line = Array.FindIndex(text.Split('\n'), l => l.StartsWith("  pte_wrprotekt", StringComparison.Ordinal)) + 1;
        var (_, diagnostics) = Parse(text);
        Assert.StartsWith($"t.trace:{line}:3: error: unknown op 'pte_wrprotekt' — did you mean 'pte_wrprotect'?", diagnostics);
    }

    [Fact]
    public void AnOrderingEditedSinceTheTraceSaysWhichStepDiverged()
    {
        // the ordering now ends the notifier with range_end; the trace still records only_end at step 7
        string text = Text.Replace("  invalidate_range_only_end 0 2", "  invalidate_range_end 0 2");
        var (trace, _) = Parse(text);
        var replay = TraceFile.Replay(trace!);
        Assert.False(replay.Reproduced);
        Assert.Equal("diverged at step 7: the trace says 'fork: invalidate_range_only_end 0 2' but the ordering's next op is "
            + "'fork: invalidate_range_end 0 2'; the trace expected stale-secondary-after-flush at step 9", replay.Message);
    }

    [Fact]
    public void AScheduleThatNoLongerFitsSaysWhichStepCannotRun()
    {
        // one step too many for the thread: the ordering lost an op the trace still runs
        string text = Text.Replace("\n  flush_tlb_mm # CPU flush only; the matching ->invalidate_range is missing\n", "\n  # flush_tlb_mm removed\n");
        Assert.NotEqual(Text, text);
        var (trace, _) = Parse(text);
        var replay = TraceFile.Replay(trace!);
        Assert.False(replay.Reproduced);
        Assert.StartsWith("diverged at step 8: the trace says 'fork: flush_tlb_mm' but the ordering's next op is 'fork: mmap_write_unlock'", replay.Message);
    }

    [Fact]
    public void AnEditedStepNumberIsReportedAsADifferentResult()
    {
        var (trace, _) = Parse(Text.Replace("\nstep 9\n", "\nstep 5\n"));
        var replay = TraceFile.Replay(trace!);
        Assert.False(replay.Reproduced);
        Assert.StartsWith("violates stale-secondary-after-flush at step 9 instead of stale-secondary-after-flush at step 5", replay.Message);
    }

    [Fact]
    public void RandomCorruptionNeverThrows()
    {
        string text = Text;
        var property = Prop.ForAll(Arb.From(Gen.Choose(0, text.Length - 1).SelectMany(i => Gen.Elements('#', ':', ' ', '\n', 'x', '0', '9', '-').Select(c => (i, c)))), edit =>
        {
            var chars = text.ToCharArray();
            chars[edit.i] = edit.c;
            var (trace, _) = TraceFile.Parse(new string(chars), "t.trace");
            if (trace is not null) TraceFile.Replay(trace);
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2_000).WithQuietOnSuccess(true), property);
    }
}
