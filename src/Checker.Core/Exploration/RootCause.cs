using Checker.Invariants;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>
/// Where a <c>stale-secondary-after-flush</c> counterexample went wrong, read from the effects the machine reported
/// during its replay: the step at which thread T changed the PTE that the device still caches (<see cref="ChangeStep"/>),
/// T's CPU flush of that page after it (<see cref="FlushStep"/>) — the place the secondary invalidation belongs, the
/// seed's rule being that secondary TLBs are flushed at the same moments as the CPU TLB — and the commit point where
/// the stale entry was found (<see cref="CommitStep"/>). Step numbers are 1-based, as in the step table.
/// </summary>
/// <param name="Thread">The kernel thread at whose commit point the stale entry was found.</param>
/// <param name="Page">The page whose secondary entry was stale.</param>
/// <param name="Device">The device holding it.</param>
/// <param name="ChangeStep">The step at which the thread last changed the page's PTE.</param>
/// <param name="Change">That step's op, as written.</param>
/// <param name="FlushStep">The thread's CPU flush of the page after the change.</param>
/// <param name="Flush">That step's op, as written.</param>
/// <param name="CommitStep">The commit point where the invariant broke.</param>
/// <param name="MissedInvalidation">The step of a secondary invalidation after the change that reached the device
/// but did not drop the page (its driver's arithmetic read the range as not covering it), or -1.</param>
/// <param name="MissedRange">That invalidation's (start, end).</param>
public sealed record RootCause(string Thread, int Page, int Device, int ChangeStep, string Change, int FlushStep, string Flush, int CommitStep,
    int MissedInvalidation = -1, string MissedRange = "")
{
    /// <summary>The root cause of <paramref name="replay"/>'s violation, or null when it is not a
    /// stale-secondary-after-flush or its steps cannot be found in the replay.</summary>
    public static RootCause? Of(CounterexampleReplay replay)
    {
        if (replay.Violation is not { Id: InvariantId.StaleSecondaryAfterFlush } || replay.Steps.Count == 0) return null;
        var last = replay.Steps[^1];
        ViolationSite? site = null;
        foreach (var e in last.Effects)
            if (e is StepEffect.Violated { Id: InvariantId.StaleSecondaryAfterFlush } v) site = v.Site;
        if (site is not { Page: >= 0 } s) return null;
        int thread = s.Actor, page = s.Page;
        ulong bit = 1UL << page;

        // T's last change of the page (a clear, downgrade or repoint: DESIGN §3.6 rule 1), then T's first CPU flush of it
        int change = -1;
        for (int k = 0; k < replay.Steps.Count; k++)
        {
            var step = replay.Steps[k];
            if (step.Op.ActorIndex != thread) continue;
            foreach (var e in step.Effects)
                if (e is StepEffect.PteChanged { Change: PteChange.Clear or PteChange.Downgrade or PteChange.Repoint } c && c.Page == page)
                    change = k;
        }
        if (change < 0) return null;
        for (int k = change; k < replay.Steps.Count; k++) // ptep_clear_flush changes and flushes in one step
        {
            var step = replay.Steps[k];
            if (step.Op.ActorIndex != thread) continue;
            foreach (var e in step.Effects)
            {
                if (e is StepEffect.CpuFlush f && (f.Full || (f.Pages & bit) != 0))
                {
                    var changed = replay.Steps[change];
                    var (missed, range) = InvalidationThatMissed(replay, change, s.Unit, bit);
                    return new RootCause(step.Op.Actor.Name, page, s.Unit, changed.Step, changed.Op.Text, step.Step, step.Op.Text, last.Step,
                        missed, range);
                }
            }
        }
        return null;
    }

    /// <summary>The first secondary invalidation after the change at step index <paramref name="from"/> (any thread's,
    /// the 6.6 deferred flush's included) that reached <paramref name="device"/> without dropping the page: its step
    /// and range, or -1.</summary>
    private static (int Step, string Range) InvalidationThatMissed(CounterexampleReplay replay, int from, int device, ulong bit)
    {
        for (int k = from + 1; k < replay.Steps.Count; k++)
            foreach (var e in replay.Steps[k].Effects)
                if (e is StepEffect.SecondaryInvalidation inv && device < inv.Dropped.Count && (inv.Dropped[device] & bit) == 0)
                    return (replay.Steps[k].Step, $"({Bound(inv.Start)}, {Bound(inv.End)})");
        return (-1, "");
    }

    private static string Bound(ulong v) => v == ulong.MaxValue ? "~0" : "0x" + v.ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The two lines the step table prints under the violation.</summary>
    public override string ToString() =>
        $"root cause: {Thread}'s CPU flush at step {FlushStep} ({Flush}) dropped page {Page} from the CPU TLBs, but dev{Device}'s "
        + $"entry, stale since step {ChangeStep} ({Change}), was not invalidated before the commit point at step {CommitStep}\n"
        + (MissedInvalidation > 0
            ? $"where the fix goes: the secondary invalidation at step {MissedInvalidation} reached dev{Device} with {MissedRange}, which its "
              + $"driver's arithmetic reads as not covering page {Page}: the range, or the driver, is what to fix"
            : $"where the fix goes: a secondary invalidation covering page {Page} next to step {FlushStep}, where the CPU flush is "
              + "(invalidate_range up to 6.5; from 6.6 the arch flush calls arch_invalidate_secondary_tlbs itself)");
}
