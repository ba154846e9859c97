using Checker.Vocabulary;

namespace Checker.Language;

/// <summary>
/// The checks that need the whole file (DESIGN §2): ranges within the page set, ops and conditions outside the
/// releases of the rule they need (§3.7), ops in the wrong kind of thread, explicit actors that do not exist, locks and mmu_gathers that do
/// not pair up within a thread, duplicate or reserved thread names, a nested-widening release's (4.13-5.1)
/// <c>tlb_finish_mmu</c> without its range. Threads that already had syntax errors skip the pairing checks (no cascades).
/// </summary>
internal sealed partial class OrderingValidator
{
    private readonly Ordering ordering;
    private readonly string file;
    private readonly int pages;
    private readonly RuleSet rules;
    private readonly List<Diagnostic> diagnostics = [];

    private OrderingValidator(Ordering ordering, string file)
    {
        this.ordering = ordering;
        this.file = file;
        pages = ordering.Pages;
        rules = ordering.Rules;
    }

    public static List<Diagnostic> Validate(Ordering ordering, string file, IReadOnlySet<int> threadsWithErrors)
    {
        var v = new OrderingValidator(ordering, file);
        v.CheckHeaders();
        v.CheckLockNames();
        v.CheckThreadNames();
        for (int t = 0; t < ordering.Threads.Count; t++)
        {
            var thread = ordering.Threads[t];
            v.CheckThreadActor(thread);
            foreach (var op in thread.Ops) v.CheckOp(thread, op);
            if (!threadsWithErrors.Contains(t)) v.CheckPairing(thread);
        }
        return v.diagnostics;
    }

    private void CheckHeaders()
    {
        foreach (var header in ordering.Headers)
        {
            if (header is HeaderLine.ReadOnly ro) CheckRange(ro.Range, "readonly");
            else if (header is HeaderLine.Unmapped un) CheckRange(un.Range, "unmapped");
        }
        CheckTreeHeaders(); // §7
        CheckDirtyHeaders(); // §8
        CheckPatches(); // issue 15
    }

    private void CheckLockNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var thread in ordering.Threads)
            foreach (var op in thread.Ops)
                if (op.LockName is { } name && names.Add(name) && names.Count == Limits.MaxLockNames + 1)
                    Error(op.NamePos, $"more than {Limits.MaxLockNames} lock names",
                        "model the locks that order the race; others can be left out");
    }

    private void CheckThreadNames()
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var thread in ordering.Threads)
        {
            if (seen.TryGetValue(thread.Name, out int firstLine))
                Error(thread.Pos, $"duplicate thread name '{thread.Name}' (first at line {firstLine})", "give each thread its own name");
            else seen[thread.Name] = thread.Pos.Line;

            if (!ordering.ExplicitEnvironment && IsGeneratedActorName(thread.Name))
                Error(thread.Pos, $"thread name '{thread.Name}' is also the name of a generated actor",
                    "rename the thread: in generated mode the CPUs, devices and shadows act as cpuK, devK and shadowK, and the allocator as alloc");
        }
    }

    private bool IsGeneratedActorName(string name)
    {
        if (name == "alloc") return true;
        return Numbered(name, "cpu", ordering.AllCpus) || Numbered(name, "dev", ordering.Devices.Count)
            || Numbered(name, "shadow", ordering.Shadows.Count) || Numbered(name, "gup", ordering.GupWalkers.Count); // §7: gup0…

        static bool Numbered(string name, string prefix, int count)
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.Length == prefix.Length) return false;
            return int.TryParse(name.AsSpan(prefix.Length), out int k) && k >= 0 && k < count
                && name.Length == prefix.Length + k.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        }
    }

    private void CheckThreadActor(ThreadBlock thread)
    {
        switch (thread.Kind)
        {
            case ThreadKind.Cpu when thread.Index >= ordering.AllCpus: // §7 mm2: mm 1's CPUs follow mm 0's
                Error(thread.Pos, $"thread '{thread.Name}' runs on cpu {thread.Index}, but the header says 'cpus {ordering.Cpus}'"
                        + (ordering.Mm2 is { CpuCount: > 0 } m2 ? $" and 'mm2 cpus {m2.CpuCount}'" : ""),
                    ordering.AllCpus == 0 ? "raise 'cpus' in the header" : $"use {Indices("cpu", ordering.AllCpus)}, or raise 'cpus'");
                break;
            case ThreadKind.Device when ordering.ResolveUnit(ThreadKind.Device, thread.Index) is null:
                Error(thread.Pos, $"thread '{thread.Name}' is device {thread.Index}, but the ordering has {ordering.Devices.Count} 'secondary sva' lines",
                    ordering.Devices.Count == 0 ? "add 'secondary sva FLAVOR' to the header" : $"use {Indices("device", ordering.Devices.Count)} (counted over the 'secondary sva' lines)");
                break;
            case ThreadKind.Shadow when ordering.ResolveUnit(ThreadKind.Shadow, thread.Index) is null:
                Error(thread.Pos, $"thread '{thread.Name}' is shadow {thread.Index}, but the ordering has {ordering.Shadows.Count} 'secondary shadow' lines",
                    ordering.Shadows.Count == 0 ? "add 'secondary shadow' to the header" : $"use {Indices("shadow", ordering.Shadows.Count)} (counted over the 'secondary shadow' lines)");
                break;
            case ThreadKind.Gup: // §7 (issue 12)
                CheckGupThread(thread);
                break;
        }
    }

    private static string Indices(string kind, int count) => count == 1 ? $"{kind} 0" : $"{kind} 0 to {count - 1}";

    private void CheckOp(ThreadBlock thread, OpLine op)
    {
        var info = op.Info;
        if (!info.AvailableIn(rules))
            NotInRelease(op.NamePos, info.Name, info.Requires!.Value, info.MissingInReleaseHint ?? "choose another op");

        CheckRole(thread, op, info);

        if (op.If is { } cond)
        {
            if (info.IsLockOp || op.Code is OpCode.TlbGatherMmu or OpCode.TlbGatherMmuFullmm or OpCode.TlbFinishMmu)
                Error(op.NamePos, $"{info.Name} cannot be conditional",
                    "lock ops and the start and finish of an mmu_gather run unconditionally so their pairing can be checked; write the two variants as two orderings");
            if (cond.Page is { } p) CheckRange(p, Condition.NameOf(cond.Kind));
            if (Condition.Requires(cond.Kind) is { } needed && !rules.Has(needed))
                NotInRelease(cond.Pos, Condition.NameOf(cond.Kind), needed, "test another condition, or write a release where it exists");
            if (cond.Or is { } or) // §8: if C1 or C2 OP
            {
                if (or.Page is { } p2) CheckRange(p2, Condition.NameOf(or.Kind));
                if (Condition.Requires(or.Kind) is { } needed2 && !rules.Has(needed2))
                    NotInRelease(or.Pos, Condition.NameOf(or.Kind), needed2, "test another condition, or write a release where it exists");
            }
        }

        if (Ordering.IsTreeOp(op.Code)) CheckTreeOp(op); // §7
        else if (op.Range is { } range)
        {
            if (info.Shape == ArgShape.EnvPage) CheckEnvPage(range, info.Name);
            else CheckRange(range, info.Name);
        }
        if (op.Code == OpCode.PteMove && op.Range is { } src && op.Destination is { } dst) CheckMove(src, dst);

        if (op.Code == OpCode.TlbFinishMmu && op.Range is null && rules.Has(ReleaseRule.NestedFinishWidensByRange))
            Error(op.NamePos, $"tlb_finish_mmu needs its range under kernel {ordering.Kernel}",
                $"in {ReleaseRuleInfo.Of(ReleaseRule.NestedFinishWidensByRange).Releases} tlb_finish_mmu(tlb, start, end) flushes the caller's range when gathers nest; write 'tlb_finish_mmu A B'");
    }

    /// <summary>An op or condition outside the releases of the rule it needs.</summary>
    private void NotInRelease(SourcePos pos, string name, ReleaseRule rule, string hint)
    {
        var row = ReleaseRuleInfo.Of(rule);
        Error(pos, $"{name} does not exist in kernel {ordering.Kernel}: it needs rule {row.Name} ({row.Releases}; {row.Commits})", hint);
    }

    private void CheckRole(ThreadBlock thread, OpLine op, OpInfo info)
    {
        string kindName = thread.Kind switch
        {
            ThreadKind.Cpu => "cpu",
            ThreadKind.Device => "device",
            ThreadKind.Shadow => "shadow",
            ThreadKind.Gup => "gup", // §7
            _ => "kernel",
        };
        if (info.Role == OpRole.Kernel && thread.Kind != ThreadKind.Kernel)
        {
            Error(op.NamePos, $"{info.Name} is a kernel op and cannot run in {kindName} thread '{thread.Name}'",
                "move it to a kernel thread ('thread NAME')");
            return;
        }
        if (info.Role != OpRole.Environment) return;
        if (CheckGupRole(thread, op)) return; // §7 (issue 12)
        if (thread.Kind == ThreadKind.Kernel)
        {
            Error(op.NamePos, $"{info.Name} is an environment access and cannot run in kernel thread '{thread.Name}'",
                "put it in an explicit thread ('thread NAME cpu K', 'device K' or 'shadow K')");
            return;
        }
        if (op.Code == OpCode.Prefetch && thread.Kind != ThreadKind.Device && !IsKernelPrefetch(op)) // §7: CPUs prefetch kP
            Error(op.NamePos, $"prefetch is a device op and cannot run in {kindName} thread '{thread.Name}'",
                "only devices (ATS) prefetch translations; use read or write");
        if (op.Code == OpCode.Fault && thread.Kind != ThreadKind.Shadow)
            Error(op.NamePos, $"fault is a shadow op and cannot run in {kindName} thread '{thread.Name}'",
                "only shadow secondaries fault translations in; CPUs and devices walk the page table on read and write");
    }

    private void CheckEnvPage(RangeArg range, string op)
    {
        if (CheckKernelEnvPage(range, op)) return; // §7
        if (range.First.Value >= (ulong)pages)
            Error(range.First.Pos, $"page {range.First.Value} is outside the page set (pages {pages})",
                $"{op} names a user page, 0 to {pages - 1}; or raise 'pages'");
    }

    /// <summary>Page-number bounds may be at most N; a single page must be below N. <c>~0</c> and hex bounds
    /// are never out of range: they go to the notifier and driver arithmetic as written.</summary>
    private void CheckRange(RangeArg range, string op)
    {
        if (RejectKernelBound(range, op)) return; // §7
        if (range.Second is null)
        {
            if (range.First.Kind == BoundKind.Page && range.First.Value >= (ulong)pages)
                Error(range.First.Pos, $"page {range.First.Value} is outside the page set (pages {pages})",
                    $"use a page from 0 to {pages - 1}, or raise 'pages'");
            return;
        }
        CheckBound(range.First, op, "start");
        CheckBound(range.Second.Value, op, "end");
    }

    private void CheckBound(Bound bound, string op, string which)
    {
        if (bound.Kind == BoundKind.Page && bound.Value > (ulong)pages)
            Error(bound.Pos, $"range {which} {bound.Value} of {op} is beyond the page set (pages {pages})",
                $"page-number bounds go up to {pages}; write ~0 or a hex address for a deliberately strange range, or raise 'pages'");
    }

    private void CheckMove(RangeArg src, Bound dst)
    {
        ulong shift = unchecked(dst.Address - src.Start);
        if (shift % Bound.PageSize != 0)
        {
            Error(dst.Pos, $"pte_move destination {dst} is not page-aligned with the source start {src.First}",
                "move by whole pages: the destination must be the source start plus a multiple of 4096");
            return;
        }
        if (src.Start >= src.End) return;
        ulong first = src.Start >> Bound.PageShift;
        ulong last = (src.End - 1) >> Bound.PageShift;
        ulong destFirst = unchecked(first + (shift >> Bound.PageShift));
        ulong destLast = unchecked(last + (shift >> Bound.PageShift));
        if (destFirst >= (ulong)pages || destLast >= (ulong)pages || destLast < destFirst)
            Error(dst.Pos, $"pte_move destination {dst} puts pages outside the page set (pages {pages})",
                $"the destination [D, D+B-A) must lie within pages 0 to {pages - 1}; or raise 'pages'");
    }

    /// <summary>Locks taken and released in order, never twice, none held at the end; mmu_gathers started
    /// before they are used and not started twice.</summary>
    private void CheckPairing(ThreadBlock thread)
    {
        var held = new Dictionary<string, (OpLine Op, bool Write)>(StringComparer.Ordinal);
        OpLine? gather = null;
        foreach (var op in thread.Ops)
        {
            if (op.If is not null && (op.Info.IsLockOp || op.Code is OpCode.TlbGatherMmu or OpCode.TlbGatherMmuFullmm or OpCode.TlbFinishMmu))
                continue;
            switch (op.Code)
            {
                case OpCode.MmapReadLock:
                case OpCode.MmapWriteLock:
                    Take(thread, held, "mmap_lock", op, op.Code == OpCode.MmapWriteLock);
                    break;
                case OpCode.MmapReadUnlock:
                case OpCode.MmapWriteUnlock:
                {
                    bool write = op.Code == OpCode.MmapWriteUnlock;
                    if (held.TryGetValue("mmap_lock", out var h) && h.Write != write)
                    {
                        Error(op.NamePos, $"{op.Info.Name} while thread '{thread.Name}' holds mmap_lock for {(h.Write ? "write" : "read")} (taken at line {h.Op.Pos.Line})",
                            $"use {(h.Write ? "mmap_write_unlock" : "mmap_read_unlock")}");
                        held.Remove("mmap_lock");
                    }
                    else Release(thread, held, "mmap_lock", op, write ? "mmap_write_lock" : "mmap_read_lock");
                    break;
                }
                case OpCode.PtlLock:
                    Take(thread, held, "ptl", op, true);
                    break;
                case OpCode.PtlUnlock:
                    Release(thread, held, "ptl", op, "ptl_lock");
                    break;
                case OpCode.Lock:
                    Take(thread, held, "lock " + op.LockName, op, true);
                    break;
                case OpCode.Unlock:
                    Release(thread, held, "lock " + op.LockName, op, "lock " + op.LockName);
                    break;
                case OpCode.TlbGatherMmu:
                case OpCode.TlbGatherMmuFullmm:
                    if (gather is not null)
                        Error(op.NamePos, $"{op.Info.Name} while thread '{thread.Name}' already has an mmu_gather (started at line {gather.Pos.Line})",
                            "finish it with tlb_finish_mmu first; a thread runs one gather at a time");
                    gather = op;
                    break;
                case OpCode.ZapPteRange:
                // §7 gather ops
                case OpCode.PteFreeTlb:
                case OpCode.FreePgtables:
                case OpCode.ZapHugePmd:
                case OpCode.TlbFlushPmdRange:
                case OpCode.TlbFlushMmu:
                case OpCode.TlbFinishMmu:
                // §8: the gather ops of DESIGN §8.6
                case OpCode.TlbFlushMmuTlbonly:
                case OpCode.TlbFlushPteRange:
                case OpCode.MadviseFree:
                case OpCode.TlbFlushRmaps:
                    if (gather is null)
                        Error(op.NamePos, $"{op.Info.Name} without an active mmu_gather in thread '{thread.Name}'",
                            "call tlb_gather_mmu (or tlb_gather_mmu_fullmm) first");
                    if (op.Code == OpCode.TlbFinishMmu) gather = null;
                    break;
            }
        }
        foreach (var (lockName, h) in held)
            Error(h.Op.NamePos, $"thread '{thread.Name}' ends holding {Display(lockName)} (taken here)",
                $"add {UnlockFor(lockName, h.Write)} before the thread ends");
    }

    private void Take(ThreadBlock thread, Dictionary<string, (OpLine Op, bool Write)> held, string lockName, OpLine op, bool write)
    {
        if (held.TryGetValue(lockName, out var h))
        {
            Error(op.NamePos, $"{op.Info.Name}{(op.LockName is null ? "" : " " + op.LockName)} while thread '{thread.Name}' already holds {Display(lockName)} (taken at line {h.Op.Pos.Line})",
                "release it first; taking it twice would deadlock");
            return;
        }
        held[lockName] = (op, write);
    }

    private void Release(ThreadBlock thread, Dictionary<string, (OpLine Op, bool Write)> held, string lockName, OpLine op, string takeName)
    {
        if (!held.Remove(lockName))
            Error(op.NamePos, $"{op.Info.Name}{(op.LockName is null ? "" : " " + op.LockName)} without a matching {takeName} in thread '{thread.Name}'",
                "take the lock earlier in the thread, or remove the unlock");
    }

    private static string Display(string lockName) => lockName.StartsWith("lock ", StringComparison.Ordinal) ? $"lock '{lockName[5..]}'" : lockName;

    private static string UnlockFor(string lockName, bool write) => lockName switch
    {
        "mmap_lock" => write ? "mmap_write_unlock" : "mmap_read_unlock",
        "ptl" => "ptl_unlock",
        _ => "unlock " + lockName[5..],
    };

    private void Error(SourcePos pos, string message, string hint) =>
        diagnostics.Add(new Diagnostic(file, pos.Line, pos.Column, message, hint));
}
