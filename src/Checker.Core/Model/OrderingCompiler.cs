using System.Numerics;
using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Model;

/// <summary>Turns a validated <see cref="Ordering"/> into a <see cref="CompiledOrdering"/>.</summary>
internal static class OrderingCompiler
{
    /// <summary>§7 mm2: the name of mm 1's page-table lock.</summary>
    public const string Mm1PtlName = "ptl(mm1)";

    public static CompiledOrdering Compile(Ordering ordering)
    {
        int pages = ordering.Pages;
        ulong all = pages == 64 ? ulong.MaxValue : (1UL << pages) - 1;

        ulong present = all, writable = all;
        foreach (var header in ordering.Headers)
        {
            if (header is HeaderLine.ReadOnly ro) writable &= ~Touched(ro.Range.Start, ro.Range.End, pages);
            else if (header is HeaderLine.Unmapped un)
            {
                ulong m = Touched(un.Range.Start, un.Range.End, pages);
                present &= ~m;
                writable &= ~m;
            }
        }

        var lockNames = new List<string> { "ptl" };
        var ops = new List<Op>();
        var opText = new List<string>();
        var opLine = new List<int>();
        var threads = new ThreadProgram[ordering.Threads.Count];
        int maxFrames = pages;
        int maxBatch = 1;
        for (int t = 0; t < threads.Length; t++)
        {
            var block = ordering.Threads[t];
            int first = ops.Count;
            int starts = 0, zapped = 0;
            foreach (var line in block.Ops)
            {
                var op = CompileOp(line, pages, lockNames, block.Mm);
                if (op.Code == OpCode.InvalidateRangeStart) starts++;
                if (op.Code == OpCode.PteInstall) maxFrames += BitOperations.PopCount(op.Pages);
                if (op.Code == OpCode.ZapPteRange) zapped += BitOperations.PopCount(op.Pages);
                ops.Add(op);
                opText.Add(line.ToString());
                opLine.Add(line.Pos.Line);
            }
            maxBatch = Math.Max(maxBatch, zapped);
            threads[t] = new ThreadProgram(block.Name, block.Kind, ordering.ResolveUnit(block.Kind, block.Index) ?? 0, first, ops.Count - first, starts);
        }

        var devices = new List<DeviceConfig>();
        foreach (var d in ordering.Devices) devices.Add(new DeviceConfig(d.Flavor, d.KeepsEntryOnFault));
        var shadows = new List<ShadowMode>();
        foreach (var s in ordering.Shadows) shadows.Add(s.Mode);

        var actors = new List<Actor>();
        for (int t = 0; t < threads.Length; t++)
            actors.Add(new Actor(threads[t].Name, ActorKind.Thread, threads[t].Kind, threads[t].Unit, t));
        if (!ordering.ExplicitEnvironment)
        {
            for (int c = 0; c < ordering.AllCpus; c++) actors.Add(new Actor("cpu" + c, ActorKind.Cpu, ThreadKind.Cpu, c, -1));
            for (int d = 0; d < devices.Count; d++) actors.Add(new Actor("dev" + d, ActorKind.Device, ThreadKind.Device, d, -1));
            for (int s = 0; s < shadows.Count; s++) actors.Add(new Actor("shadow" + s, ActorKind.Shadow, ThreadKind.Shadow, s, -1));
            if (ordering.Reuse) actors.Add(new Actor("alloc", ActorKind.Allocator, ThreadKind.Kernel, 0, -1));
        }

        // §7 the page-table tree: table frames, huge frames, GUP-fast walkers (after every other actor)
        TreeLayout? tree = null;
        if (ordering.PageTables)
        {
            var opArray = ops.ToArray();
            tree = new TreeLayout(ordering, opArray);
            maxFrames += tree.Slots + tree.ExtraDataFrames + (tree.Mm2Own ? pages : 0); // §7 mm2: mm 1's own data frames
            foreach (var op in opArray)
            {
                if (op.Code is OpCode.ZapHugePmd) maxBatch += tree.Span;
            }
            if (!ordering.ExplicitEnvironment)
                for (int g = 0; g < tree.GupLines; g++) actors.Add(new Actor("gup" + g, ActorKind.Gup, ThreadKind.Kernel, g, -1));
        }

        var compiled = new CompiledOrdering(ordering, ops.ToArray(), opText.ToArray(), opLine.ToArray(), threads, actors.ToArray(),
            devices.ToArray(), shadows.ToArray(), lockNames.ToArray(), maxFrames, maxBatch, present, writable) { Tree = tree };
        if (ordering.UsesDirtyData) compiled.Dirty = DirtyLayout.Of(ordering, all); // §8
        return compiled;
    }

    private static Op CompileOp(OpLine line, int pages, List<string> lockNames, int mm = 0)
    {
        ulong start = 0, end = 0, touched = 0, covered = 0;
        int arg = -1;
        if (line.Range is { } range)
        {
            start = range.Start;
            end = range.End;
            touched = Touched(start, end, pages);
            covered = Covered(start, end, pages);
            if (line.Info.Shape is ArgShape.Page or ArgShape.EnvPage or ArgShape.Wait or ArgShape.PageOptionalWord or ArgShape.PageMove)
                arg = touched == 0 ? -1 : BitOperations.TrailingZeroCount(touched);
        }
        switch (line.Code)
        {
            case OpCode.PtlLock:
            case OpCode.PtlUnlock:
                arg = 0;
                if (mm != 0) // §7 mm2: the page-table lock is per mm; mm 1's is a lock of its own
                {
                    arg = lockNames.IndexOf(Mm1PtlName);
                    if (arg < 0)
                    {
                        lockNames.Add(Mm1PtlName);
                        arg = lockNames.Count - 1;
                    }
                }
                break;
            case OpCode.Lock:
            case OpCode.Unlock:
                arg = lockNames.IndexOf(line.LockName!);
                if (arg < 0)
                {
                    lockNames.Add(line.LockName!);
                    arg = lockNames.Count - 1;
                }
                break;
            case OpCode.PteMove:
                // a signed page shift: the validator has checked alignment and that the destination fits
                arg = (int)((long)unchecked(line.Destination!.Value.Address - start) >> Bound.PageShift);
                break;
        }
        sbyte condition = -1;
        bool negated = false;
        int conditionPage = -1;
        if (line.If is { } c)
        {
            condition = (sbyte)c.Kind;
            negated = c.Negated;
            if (c.Page is { } p)
            {
                ulong m = Touched(p.Start, p.End, pages);
                conditionPage = m == 0 ? -1 : BitOperations.TrailingZeroCount(m);
            }
        }
        bool commit = line.Info.CommitPoint;
        // §7: kernel pages and move_pgt_entry's destination
        int kernelPage = -1, destination = -1;
        ulong kernelMask = 0;
        if (line.Range is { } kr && kr.First.Kind == BoundKind.Kernel)
        {
            kernelPage = (int)kr.First.Value;
            ulong last = kr.Second is { } e ? e.Value : kr.First.Value + 1;
            for (ulong k = kr.First.Value; k < last && k < 64; k++) kernelMask |= 1UL << (int)k;
            if (line.Info.Shape == ArgShape.EnvPage) arg = pages + kernelPage;
        }
        if (line.Code == OpCode.MovePgtEntry && line.Destination is { } dest) destination = (int)dest.Value;
        var compiled = new Op(line.Code, start, end, touched, covered, arg, line.ReadOnly ?? false, line.Range is not null,
            condition, negated, conditionPage, line.Wait ?? PteState.None, commit)
        { KernelPage = kernelPage, KernelMask = kernelMask, Destination = destination };
        if (line.If?.Or is { } or) // §8: if C1 or C2 OP
        {
            int orPage = -1;
            if (or.Page is { } p2)
            {
                ulong m = Touched(p2.Start, p2.End, pages);
                orPage = m == 0 ? -1 : BitOperations.TrailingZeroCount(m);
            }
            compiled = compiled with { OrCondition = (sbyte)or.Kind, OrConditionNegated = or.Negated, OrConditionPage = orPage };
        }
        return compiled;
    }

    /// <summary>User pages whose 4 KiB overlaps [start, end); nothing when start ≥ end (DESIGN §3.6 rule 12).</summary>
    public static ulong Touched(ulong start, ulong end, int pages)
    {
        if (start >= end) return 0;
        ulong mask = 0;
        for (int p = 0; p < pages; p++)
        {
            ulong lo = (ulong)p << Bound.PageShift;
            if (lo < end && lo + Bound.PageSize > start) mask |= 1UL << p;
        }
        return mask;
    }

    /// <summary>User pages wholly inside [start, end) (DESIGN §3.6 rule 10).</summary>
    public static ulong Covered(ulong start, ulong end, int pages)
    {
        if (start >= end) return 0;
        ulong mask = 0;
        for (int p = 0; p < pages; p++)
        {
            ulong lo = (ulong)p << Bound.PageShift;
            if (lo >= start && lo + Bound.PageSize <= end) mask |= 1UL << p;
        }
        return mask;
    }
}
