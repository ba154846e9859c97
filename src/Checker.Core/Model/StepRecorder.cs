using System.Collections.Immutable;
using Checker.Invariants;
using Checker.Text;
using Checker.Vocabulary;

namespace Checker.Model;

/// <summary>
/// Collects the <see cref="StepEffect"/>s the machine reports during one step. Attach one to a machine
/// (<see cref="Machine.Recorder"/>) to replay a schedule for a report; exploration never attaches one, and a
/// machine without a recorder pays one null check per event (the calls are <c>recorder?.X(…)</c>, whose
/// arguments are not even evaluated). The recorder reads the state it is told about, never decides anything.
/// </summary>
internal sealed class StepRecorder
{
    private readonly ModelState s;
    private readonly List<StepEffect> effects = [];
    private readonly int[] pteFrameBefore;
    private ulong presentBefore, writableBefore;
    private int invalidation = -1;

    public StepRecorder(ModelState state)
    {
        s = state;
        pteFrameBefore = new int[state.Pages];
    }

    /// <summary>The effects of the step that just ended, in the order the machine reported them; clears them.</summary>
    public ImmutableArray<StepEffect> Take()
    {
        var taken = effects.ToImmutableArray();
        effects.Clear();
        invalidation = -1;
        return taken;
    }

    internal void BeginStep()
    {
        effects.Clear();
        invalidation = -1;
        presentBefore = s.W[s.PtePresent];
        writableBefore = s.W[s.PteWritable];
        Array.Copy(s.I, s.PteFrame, pteFrameBefore, 0, s.Pages);
    }

    /// <summary>Ends a step: reports each PTE that differs from the step's start.</summary>
    internal void EndStep()
    {
        ulong present = s.W[s.PtePresent], writable = s.W[s.PteWritable];
        for (int p = 0; p < s.Pages; p++)
        {
            ulong bit = 1UL << p;
            var before = new PteCell((presentBefore & bit) != 0, (presentBefore & bit) != 0 ? pteFrameBefore[p] : -1, (presentBefore & writableBefore & bit) != 0);
            var after = new PteCell((present & bit) != 0, (present & bit) != 0 ? s.I[s.PteFrame + p] : -1, (present & writable & bit) != 0);
            if (before == after) continue;
            var change = !before.Present ? PteChange.Fill
                : !after.Present ? PteChange.Clear
                : before.Frame != after.Frame ? PteChange.Repoint
                : before.Writable ? PteChange.Downgrade
                : PteChange.Upgrade;
            effects.Add(new StepEffect.PteChanged(p, change, before, after));
        }
        invalidation = -1;
    }

    internal void CpuFlush(ulong pages, bool full) => effects.Add(new StepEffect.CpuFlush(pages, full));

    internal void BeginSecondaryInvalidation(ulong start, ulong end)
    {
        invalidation = effects.Count;
        effects.Add(new StepEffect.SecondaryInvalidation(start, end, new ulong[s.Devices].ToImmutableArrayOrEmpty()));
    }

    internal void EndSecondaryInvalidation() => invalidation = -1;

    internal void Notifier(OpCode call, ulong start, ulong end) => effects.Add(new StepEffect.Notifier(call, start, end));

    internal void Lock(string name, bool acquired) => effects.Add(new StepEffect.Lock(name, acquired));

    /// <summary>Entries about to be dropped from a cache (call before clearing them); inside a secondary
    /// invalidation, IOTLB drops are also the invalidation's own.</summary>
    internal void Dropped(CacheKind kind, int unit, ulong pages)
    {
        if (pages == 0) return;
        effects.Add(new StepEffect.EntriesDropped(new CacheUnit(kind, unit), pages));
        if (invalidation >= 0 && kind == CacheKind.Iotlb && effects[invalidation] is StepEffect.SecondaryInvalidation inv)
        {
            var dropped = inv.Dropped.Items.SetItem(unit, inv.Dropped[unit] | pages);
            effects[invalidation] = inv with { Dropped = dropped };
        }
    }

    /// <summary>An entry was just cached (call after filling it).</summary>
    internal void Cached(CacheKind kind, int unit, int page)
    {
        var (_, writable, frame) = Slots(kind, unit, page);
        effects.Add(new StepEffect.EntryCached(new CacheUnit(kind, unit), page, s.I[frame], (s.W[writable] >> page & 1) != 0));
    }

    /// <summary>An access through the entry of <paramref name="page"/> reached <paramref name="frame"/>;
    /// <paramref name="allowed"/>: the PTE allows it (§3.6 rule 7).</summary>
    internal void Access(CacheKind kind, int unit, int page, int frame, bool write, bool allowed)
    {
        var (_, writable, _) = Slots(kind, unit, page);
        effects.Add(new StepEffect.Access(new CacheUnit(kind, unit), page, write, frame, (s.W[writable] >> page & 1) != 0, !allowed,
            (FrameOwner)s.I[s.FrameOwner + frame]));
    }

    /// <summary>An access faulted; <paramref name="keptFrame"/> is the read-only entry a device kept, else -1.</summary>
    internal void Fault(CacheKind kind, int unit, int page, bool write, int keptFrame = -1) =>
        effects.Add(new StepEffect.Fault(new CacheUnit(kind, unit), page, write, (s.W[s.PtePresent] >> page & 1) != 0, keptFrame));

    internal void FrameAllocated(int frame) => effects.Add(new StepEffect.FrameAllocated(frame));

    internal void FrameFreed(int frame) => effects.Add(new StepEffect.FrameFreed(frame));

    internal void FrameReused(int frame) => effects.Add(new StepEffect.FrameReused(frame));

    // §7 the page-table tree
    internal void TableUnlinked(int table) => effects.Add(new StepEffect.TableUnlinked(table));

    internal void WalkCached(CacheKind kind, int unit, int table) => effects.Add(new StepEffect.WalkCached(new CacheUnit(kind, unit), table));

    internal void WalkDropped(CacheKind kind, int unit, int table) => effects.Add(new StepEffect.WalkDropped(new CacheUnit(kind, unit), table));

    internal void Gup(int walker, int phase, int page) => effects.Add(new StepEffect.GupStep(walker, phase, page));
    // §8 dirty data (issue 13)
    internal void Dirty(DirtyEvent kind, ulong pages, int frame)
    {
        if (kind == DirtyEvent.Clean && pages == 0) return;
        effects.Add(new StepEffect.Dirty(kind, pages, frame));
    }

    internal void Violated(InvariantId id, ViolationSite site) => effects.Add(new StepEffect.Violated(id, site));

    private (int Valid, int Writable, int Frame) Slots(CacheKind kind, int unit, int page) => kind switch
    {
        CacheKind.Tlb => (s.TlbValid + unit, s.TlbWritable + unit, s.TlbFrame + unit * s.Pages + page),
        CacheKind.Iotlb => (s.IotlbValid + unit, s.IotlbWritable + unit, s.IotlbFrame + unit * s.Pages + page),
        _ => (s.SpteValid + unit, s.SpteWritable + unit, s.SpteFrame + unit * s.Pages + page),
    };
}
