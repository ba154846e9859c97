using Checker.Model;

namespace Checker.Exploration.Symmetry;

/// <summary>
/// Drops, before they are stepped, the environment choices of a state that a symmetry of that very state maps
/// onto a kept sibling (issue 14): an access by CPU 1 when CPU 1's TLB equals CPU 0's, or an access to a page
/// whose unit is, frame for frame, like an earlier unit of its class. The dropped child is the image of a kept
/// one under a permutation of the state, so its subtree finds the same invariants after the same number of
/// environment actions — it would be pruned by the canonical hash anyway; this saves stepping and hashing it.
/// The test is exact (a cache entry's frame counts only while the entry is valid; equal masks, equal frame structure, nothing else referring to the frames or pages), so
/// when in doubt a choice is kept. Nothing allocates per call.
/// </summary>
internal sealed partial class SiblingFilter
{
    private readonly SymmetryPlan plan;
    private readonly CompiledOrdering program;
    private readonly int pages, cpus, devices, shadows, threads, maxFrames;
    private readonly int[] actorKind;   // 0 = not filtered, 1 cpu, 2 device, 3 shadow
    private readonly int[] actorUnit;
    private readonly bool[] redundantCpu, redundantDevice, redundantShadow;
    private readonly int[] frameStamp, frameLocal, externalStamp;
    private int stamp, externalRound;
    private readonly int[] reps;
    private ulong redundantPages, pinnedPages;

    public SiblingFilter(CompiledOrdering program, SymmetryPlan plan)
    {
        this.program = program;
        this.plan = plan;
        var s = new ModelState(program);
        pages = s.Pages;
        cpus = s.Cpus;
        devices = s.Devices;
        shadows = s.Shadows;
        threads = s.Threads;
        maxFrames = s.MaxFrames;
        actorKind = new int[program.Actors.Length];
        actorUnit = new int[program.Actors.Length];
        for (int a = 0; a < program.Actors.Length; a++)
        {
            var actor = program.Actors[a];
            actorUnit[a] = actor.Unit;
            actorKind[a] = actor.Kind switch { ActorKind.Cpu => 1, ActorKind.Device => 2, ActorKind.Shadow => 3, _ => 0 };
        }
        redundantCpu = new bool[Math.Max(1, cpus)];
        redundantDevice = new bool[Math.Max(1, devices)];
        redundantShadow = new bool[Math.Max(1, shadows)];
        frameStamp = new int[Math.Max(1, maxFrames)];
        frameLocal = new int[Math.Max(1, maxFrames)];
        externalStamp = new int[Math.Max(1, maxFrames)];
        reps = new int[Math.Max(1, pages)];
    }

    /// <summary>Keeps, in place, the choices no symmetry of <paramref name="s"/> maps onto an earlier kept one;
    /// returns how many.</summary>
    public int Filter(ModelState s, Span<Choice> choices, int count)
    {
        Analyse(s);
        int kept = 0;
        for (int c = 0; c < count; c++)
        {
            var choice = choices[c];
            int kind = actorKind[choice.Actor];
            if (kind != 0 && choice.Action != StepAction.Step)
            {
                int unit = actorUnit[choice.Actor];
                bool redundant = kind switch { 1 => redundantCpu[unit], 2 => redundantDevice[unit], _ => redundantShadow[unit] };
                if (redundant || (redundantPages >> choice.Page & 1) != 0) continue;
            }
            choices[kept++] = choice;
        }
        return kept;
    }

    private void Analyse(ModelState s)
    {
        var w = s.W;
        var i = s.I;
        // pages and frames something outside the page records refers to
        externalRound++;
        if (externalRound == int.MaxValue) { Array.Clear(externalStamp); externalRound = 1; }
        pinnedPages = 0;
        for (int d = 0; d < devices; d++)
            if (i[s.FaultCount + d] > 0 && i[s.FaultPage + d] >= 0) pinnedPages |= 1UL << i[s.FaultPage + d];
        for (int x = 0; x < s.FaultContexts; x++)
        {
            if (i[s.CtxPhase + x] == 0) continue;
            if (i[s.CtxPage + x] >= 0 && i[s.CtxPage + x] < pages) pinnedPages |= 1UL << i[s.CtxPage + x];
            MarkExternal(i[s.CtxSnapFrame + x]);
        }
        if (s.HasDirty) pinnedPages |= CachePages(s); // §8: SiblingFilter.Dirty
        // the gather batch and the free queue refer to frames too, but only as a multiset and a count (the free
        // order and free versus reused decide nothing: StateCanonicalizer.Owner), with or without the allocator

        redundantPages = 0;
        foreach (var c in plan.PageClasses)
        {
            int nreps = 0;
            for (int u = 0; u < c.Units; u++)
            {
                if (Pinned(c, u)) continue;
                bool matched = false;
                for (int r = 0; r < nreps && !matched; r++) matched = UnitsAlike(s, c, reps[r], u);
                if (matched)
                    for (int k = 0; k < c.Width; k++) redundantPages |= 1UL << c.UnitPages[u * c.Width + k];
                else if (nreps < reps.Length) reps[nreps++] = u;
            }
        }

        Array.Clear(redundantCpu);
        foreach (var cls in plan.CpuClasses)
            for (int b = 1; b < cls.Length; b++)
                for (int a = 0; a < b && !redundantCpu[cls[b]]; a++)
                    redundantCpu[cls[b]] = !redundantCpu[cls[a]] && CachesAlike(s, s.TlbValid, s.TlbWritable, s.TlbFrame, cls[a], cls[b])
                        && (!s.HasDirty || s.W[s.TlbDirty + cls[a]] == s.W[s.TlbDirty + cls[b]]);
        Array.Clear(redundantDevice);
        foreach (var cls in plan.DeviceClasses)
            for (int b = 1; b < cls.Length; b++)
                for (int a = 0; a < b && !redundantDevice[cls[b]]; a++)
                    redundantDevice[cls[b]] = !redundantDevice[cls[a]]
                        && CachesAlike(s, s.IotlbValid, s.IotlbWritable, s.IotlbFrame, cls[a], cls[b])
                        && (!s.HasDirty || s.W[s.IotlbDirty + cls[a]] == s.W[s.IotlbDirty + cls[b]])
                        && i[s.FaultPage + cls[a]] == i[s.FaultPage + cls[b]] && i[s.FaultCount + cls[a]] == i[s.FaultCount + cls[b]];
        Array.Clear(redundantShadow);
        foreach (var cls in plan.ShadowClasses)
            for (int b = 1; b < cls.Length; b++)
                for (int a = 0; a < b && !redundantShadow[cls[b]]; a++)
                    redundantShadow[cls[b]] = !redundantShadow[cls[a]]
                        && CachesAlike(s, s.SpteValid, s.SpteWritable, s.SpteFrame, cls[a], cls[b])
                        && ContextsAlike(s, cls[a], cls[b]);
    }

    private void MarkExternal(int f)
    {
        if (f >= 0 && f < maxFrames) externalStamp[f] = externalRound;
    }

    private bool Pinned(SymmetryPlan.PageClass c, int u)
    {
        for (int k = 0; k < c.Width; k++)
            if ((pinnedPages >> c.UnitPages[u * c.Width + k] & 1) != 0) return true;
        return false;
    }

    private static bool CachesAlike(ModelState s, int valid, int writable, int frames, int a, int b)
    {
        if (s.W[valid + a] != s.W[valid + b] || s.W[writable + a] != s.W[writable + b]) return false;
        for (ulong m = s.W[valid + a]; m != 0; m &= m - 1)
        {
            int p = System.Numerics.BitOperations.TrailingZeroCount(m);
            if (s.I[frames + a * s.Pages + p] != s.I[frames + b * s.Pages + p]) return false;
        }
        return true;
    }

    private static bool ContextsAlike(ModelState s, int a, int b) =>
        s.I[s.CtxPhase + a] == s.I[s.CtxPhase + b] && s.I[s.CtxPage + a] == s.I[s.CtxPage + b]
        && s.I[s.CtxSeq + a] == s.I[s.CtxSeq + b] && s.I[s.CtxSnapFrame + a] == s.I[s.CtxSnapFrame + b]
        && s.I[s.CtxSnapWritable + a] == s.I[s.CtxSnapWritable + b];

    /// <summary>Swapping units <paramref name="a"/> and <paramref name="b"/> (and their frames) leaves the state as
    /// it is: every page mask agrees on their pages, and their frame slots have the same shape over disjoint
    /// frames with equal records that nothing else refers to.</summary>
    private bool UnitsAlike(ModelState s, SymmetryPlan.PageClass c, int a, int b)
    {
        var w = s.W;
        for (int k = 0; k < c.Width; k++)
        {
            int p = c.UnitPages[a * c.Width + k], q = c.UnitPages[b * c.Width + k];
            for (int x = 0; x < w.Length; x++)
            {
                if (IsAddress(s, x)) continue;
                if ((w[x] >> p & 1) != (w[x] >> q & 1)) return false;
            }
        }
        stamp += 2;
        if (stamp >= int.MaxValue - 2) { Array.Clear(frameStamp); stamp = 2; }
        int nextA = 0, nextB = 0;
        for (int k = 0; k < c.Width; k++)
        {
            int p = c.UnitPages[a * c.Width + k], q = c.UnitPages[b * c.Width + k];
            if (!SlotAlike(s, s.PteFrame + p, s.PteFrame + q, ref nextA, ref nextB)) return false;
            for (int x = 0; x < cpus; x++)
                if ((w[s.TlbValid + x] >> p & 1) != 0
                    && !SlotAlike(s, s.TlbFrame + x * pages + p, s.TlbFrame + x * pages + q, ref nextA, ref nextB)) return false;
            for (int x = 0; x < devices; x++)
                if ((w[s.IotlbValid + x] >> p & 1) != 0
                    && !SlotAlike(s, s.IotlbFrame + x * pages + p, s.IotlbFrame + x * pages + q, ref nextA, ref nextB)) return false;
            for (int x = 0; x < shadows; x++)
                if ((w[s.SpteValid + x] >> p & 1) != 0
                    && !SlotAlike(s, s.SpteFrame + x * pages + p, s.SpteFrame + x * pages + q, ref nextA, ref nextB)) return false;
            for (int x = 0; x < threads; x++)
                if (!SlotAlike(s, s.LastUnmapped + x * pages + p, s.LastUnmapped + x * pages + q, ref nextA, ref nextB)) return false;
            if (s.HasDirty && !DirtySlotsAlike(s, p, q, ref nextA, ref nextB)) return false;
        }
        return true;
    }

    private static bool IsAddress(ModelState s, int x) =>
        (x >= s.GatherStart && x < s.GatherStart + s.Threads) || (x >= s.GatherEnd && x < s.GatherEnd + s.Threads);

    /// <summary>Slot <paramref name="sa"/> of unit a and <paramref name="sb"/> of unit b hold frames in the same
    /// place of their units' first-appearance order; frames of a are stamped <c>stamp</c>, of b <c>stamp+1</c>.</summary>
    private bool SlotAlike(ModelState s, int sa, int sb, ref int nextA, ref int nextB)
    {
        int fa = s.I[sa], fb = s.I[sb];
        if (fa < 0 || fb < 0) return fa == fb;
        if (fa == fb || externalStamp[fa] == externalRound || externalStamp[fb] == externalRound) return false;
        int la = Local(fa, stamp, ref nextA), lb = Local(fb, stamp + 1, ref nextB);
        if (la < 0 || lb < 0 || la != lb) return false;
        var i = s.I;
        return StateCanonicalizer.Owner(i[s.FrameOwner + fa]) == StateCanonicalizer.Owner(i[s.FrameOwner + fb]) && i[s.FrameRef + fa] == i[s.FrameRef + fb]
            && i[s.FrameCopied + fa] == i[s.FrameCopied + fb] && (!s.HasDirty || DirtyFramesAlike(s, fa, fb));
    }

    /// <summary>The frame's index among its unit's frames, or -1 when the other unit already uses it.</summary>
    private int Local(int f, int side, ref int next)
    {
        if (frameStamp[f] == side) return frameLocal[f];
        if (frameStamp[f] == (side ^ 1) && frameStamp[f] >= stamp) return -1;
        frameStamp[f] = side;
        frameLocal[f] = next++;
        return frameLocal[f];
    }
}
