using Checker.Invariants;
using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Model;

internal partial class Machine
{
    /// <summary>Runs a thread's op; returns false while a multi-step op (an explicit <c>fault</c>) is unfinished.</summary>
    private bool Execute(int t, int opIndex, in Op op)
    {
        if (tree is not null) return ExecuteWithTree(t, opIndex, op); // §7
        return ExecuteOp(t, opIndex, op);
    }

    private bool ExecuteOp(int t, int opIndex, in Op op)
    {
        switch (op.Code)
        {
            case OpCode.MmapReadLock: i[s.MmapReaders]++; break;
            case OpCode.MmapReadUnlock: i[s.MmapReaders]--; break;
            case OpCode.MmapWriteLock: i[s.MmapWriter] = t; break;
            case OpCode.MmapWriteUnlock: i[s.MmapWriter] = -1; break;
            case OpCode.PtlLock:
            case OpCode.Lock: i[s.LockHolder + op.Arg] = t; break;
            case OpCode.PtlUnlock:
            case OpCode.Unlock: i[s.LockHolder + op.Arg] = -1; break;

            case OpCode.InvalidateRangeStart: InvalidateRangeStart(t, opIndex, op); break;
            case OpCode.InvalidateRangeEnd:
                // mn_hlist_invalidate_end() calls ->invalidate_range first, until ec8832d007cb (6.6)
                if (rules.Has(ReleaseRule.EndInvalidatesSecondaries)) InvalidateSecondaryTlbs(op.Start, op.End);
                InvalidateRangeEnd(t, op);
                break;
            case OpCode.InvalidateRangeOnlyEnd: InvalidateRangeEnd(t, op); break;
            case OpCode.InvalidateRange:
            case OpCode.ArchInvalidateSecondaryTlbs: InvalidateSecondaryTlbs(op.Start, op.End); break;
            case OpCode.ChangePte: ChangePte(op); break;
            case OpCode.Release: Release(); break;

            case OpCode.PteClear: PteClear(t, op.Pages); w[s.Cover + t] |= op.Pages; break;
            case OpCode.PteWrprotect: Wrprotect(t, op.Pages); w[s.Cover + t] |= op.Pages; break;
            case OpCode.PteMkwrite: w[s.PteWritable] |= op.Pages & w[s.PtePresent]; break;
            case OpCode.PteInstall: PteInstall(t, op); break;
            case OpCode.PteRestore: PteRestore(t, op); break;
            case OpCode.PteMove: PteMove(t, op); w[s.Cover + t] |= op.Pages; break;
            case OpCode.PtepSetAccessFlags: PtepSetAccessFlags(t, op); break;

            case OpCode.CopyPage: CopyPage(t, op.Pages); break;
            case OpCode.GetPage: GetPage(t, op.Pages); break;
            case OpCode.PutPage: PutPage(t, op.Pages); break;

            case OpCode.FlushTlbRange:
            case OpCode.FlushTlbPage: FlushTlb(t, op.Pages, op.Start, op.End, full: false); break;
            case OpCode.FlushTlbMm: FlushTlb(t, allPages, 0, ulong.MaxValue, full: true); break;
            case OpCode.PtepClearFlush:
            {
                ulong inaccessible = dirty ? InaccessibleProtnone(op.Pages) : 0; // §8.3: pte_accessible()
                PteClear(t, op.Pages);
                w[s.Cover + t] |= op.Pages;
                if (inaccessible == 0) FlushTlb(t, op.Pages, op.Start, op.End, full: false);
                else FlushAccessible(t, op.Pages & ~inaccessible);
                break;
            }
            case OpCode.PtepClearFlushNotify:
            {
                ulong inaccessible = dirty ? InaccessibleProtnone(op.Pages) : 0; // §8.3: pte_accessible()
                PteClear(t, op.Pages);
                w[s.Cover + t] |= op.Pages;
                if (inaccessible == 0) FlushTlb(t, op.Pages, op.Start, op.End, full: false);
                else FlushAccessible(t, op.Pages & ~inaccessible);
                InvalidateSecondaryTlbs(op.Start, op.End);
                break;
            }
            case OpCode.IncTlbFlushPending: i[s.TlbFlushPending]++; break;
            case OpCode.DecTlbFlushPending: i[s.TlbFlushPending]--; break;
            case OpCode.SetTlbUbcFlushPending: SetTlbUbcFlushPending(t, op); break;
            case OpCode.TryToUnmapFlush: TryToUnmapFlush(t); break;
            case OpCode.FlushTlbBatchedPending:
                if (i[s.TlbFlushBatched] != 0)
                {
                    FlushTlb(t, allPages, 0, ulong.MaxValue, full: true);
                    i[s.TlbFlushBatched] = 0;
                }
                break;

            case OpCode.TlbGatherMmu: TlbGatherMmu(t, fullmm: false); break;
            case OpCode.TlbGatherMmuFullmm: TlbGatherMmu(t, fullmm: true); break;
            case OpCode.ZapPteRange: ZapPteRange(t, op); break;
            case OpCode.ChangeProtection: ChangeProtection(t, op); break;
            case OpCode.TlbFlushMmu: TlbFlushMmu(t); break;
            case OpCode.TlbFinishMmu: TlbFinishMmu(t, op); break;

            case OpCode.WaitPte: break;

            default:
                if (op.Code >= OpCode.ForceFlush) // §8 (issue 13)
                {
                    DirtyExecute(t, op);
                    break;
                }
                return ExplicitEnvironmentOp(t, op);
        }
        return true;
    }

    // ---- mmu_notifier ----

    private void InvalidateRangeStart(int t, int opIndex, in Op op)
    {
        NotifierCall(op.Start, op.End);
        recorder?.Notifier(op.Code, op.Start, op.End);
        int depth = i[s.NotifierDepth + t]++;
        i[s.NotifierStack + t * s.MaxDepth + depth] = opIndex;
        // the mm-wide sequence goes odd when the first invalidation starts (mmu_interval_read_begin blocks)
        if (i[s.ActiveInvalidations]++ == 0) i[s.Seq]++;
        if (i[s.Attached] != 0)
        {
            for (int sh = 0; sh < s.Shadows; sh++)
            {
                recorder?.Dropped(CacheKind.Spte, sh, w[s.SpteValid + sh] & op.Pages);
                w[s.SpteValid + sh] &= ~op.Pages;
                w[s.SpteWritable + sh] &= ~op.Pages;
            }
        }
        RecomputeActiveCover();
    }

    private void InvalidateRangeEnd(int t, in Op op)
    {
        NotifierCall(op.Start, op.End);
        recorder?.Notifier(op.Code, op.Start, op.End);
        int depth = i[s.NotifierDepth + t];
        int top = depth > 0 ? i[s.NotifierStack + t * s.MaxDepth + depth - 1] : -1;
        if (top < 0 || !UnbalancedNotifier.Matches(ops[top].Start, ops[top].End, op.Start, op.End))
        {
            Flag(InvariantId.UnbalancedNotifier, ViolationSite.Of(actor, start: op.Start, end: op.End));
            return;
        }
        i[s.NotifierDepth + t] = depth - 1;
        if (--i[s.ActiveInvalidations] == 0) i[s.Seq]++;
        RecomputeActiveCover();
    }

    private void RecomputeActiveCover()
    {
        ulong cover = 0;
        for (int t = 0; t < threads.Length; t++)
        {
            if (mm2 && T.ThreadMm[t] != s.SelectedMm) continue; // §7 mm2: coverage is per mm
            int depth = i[s.NotifierDepth + t];
            for (int k = 0; k < depth; k++) cover |= ops[i[s.NotifierStack + t * s.MaxDepth + k]].Covered;
        }
        w[s.ActiveCover] = cover;
    }

    private void ChangePte(in Op op)
    {
        NotifierCall(op.Start, op.End);
        recorder?.Notifier(op.Code, op.Start, op.End);
        if (i[s.Attached] != 0 && s.Shadows > 0)
        {
            ulong outside = PteChangeOutsideNotifier.Uncovered(op.Pages, w[s.ActiveCover]);
            if (outside != 0) Flag(InvariantId.PteChangeOutsideNotifier, ViolationSite.Of(actor, Lowest(outside), start: op.Start, end: op.End));
        }
    }

    /// <summary>mmu_notifier_release: every secondary drops everything and detaches; later secondary
    /// actions are no-ops (§3.6 rule 6).</summary>
    private void Release()
    {
        if (i[s.Attached] == 0) return;
        recorder?.Notifier(OpCode.Release, 0, 0);
        for (int d = 0; d < s.Devices; d++)
        {
            recorder?.Dropped(CacheKind.Iotlb, d, w[s.IotlbValid + d]);
            w[s.IotlbValid + d] = 0;
            w[s.IotlbWritable + d] = 0;
            i[s.FaultCount + d] = 0;
        }
        for (int sh = 0; sh < s.Shadows; sh++)
        {
            recorder?.Dropped(CacheKind.Spte, sh, w[s.SpteValid + sh]);
            w[s.SpteValid + sh] = 0;
            w[s.SpteWritable + sh] = 0;
        }
        for (int c = 0; c < s.FaultContexts; c++) i[s.CtxPhase + c] = 0;
        if (tree is not null) ReleaseDeviceWalks(); // §7
        i[s.Attached] = 0;
    }

    // ---- PTEs ----

    /// <summary>A clear, downgrade or repoint of present PTEs (§3.6 rule 1): resets the thread's flushed
    /// mark for those pages and, with a shadow attached, must happen inside a covering start/end.</summary>
    private void Changed(int t, ulong changed)
    {
        if (changed == 0) return;
        w[s.Changed + t] |= changed;
        w[s.Flushed + t] &= ~changed;
        pteChangesSinceInvalidation++;
        if (i[s.Attached] != 0 && s.Shadows > 0)
        {
            ulong outside = PteChangeOutsideNotifier.Uncovered(changed, w[s.ActiveCover]);
            if (outside != 0) Flag(InvariantId.PteChangeOutsideNotifier, ViolationSite.Of(actor, Lowest(outside)));
        }
    }

    private void PteClear(int t, ulong pagesMask)
    {
        ulong cleared = pagesMask & w[s.PtePresent];
        for (ulong m = cleared; m != 0; m &= m - 1)
        {
            int p = Lowest(m);
            if (dirty) DirtyOnClear(t, p, i[s.PteFrame + p]); // §8.3: PG_dirty |= D
            i[s.LastUnmapped + t * pages + p] = i[s.PteFrame + p];
            i[s.PteFrame + p] = -1;
        }
        w[s.PtePresent] &= ~cleared;
        w[s.PteWritable] &= ~cleared;
        Changed(t, cleared);
    }

    private void Wrprotect(int t, ulong pagesMask)
    {
        ulong downgraded = pagesMask & w[s.PtePresent] & w[s.PteWritable];
        w[s.PteWritable] &= ~downgraded;
        Changed(t, downgraded);
    }

    private void PteInstall(int t, in Op op)
    {
        ulong repointed = 0;
        for (ulong m = op.Pages; m != 0; m &= m - 1)
        {
            int p = Lowest(m);
            ulong bit = 1UL << p;
            int f = i[s.FrameCount]++;
            recorder?.FrameAllocated(f);
            i[s.FrameOwner + f] = ModelState.OwnerMm;
            i[s.FrameRef + f] = 1;
            if (mm2) NewFrameOwner(t, f); // §7 mm2: the creating thread's mm owns it (both while the table is shared)
            int copied = s.C[s.CopiedContent + t * pages + p];
            s.C[s.FrameContent + f] = copied >= 0 ? copied : 0;
            if ((w[s.PtePresent] & bit) != 0)
            {
                repointed |= bit;
                if (dirty) DirtyOnClear(t, p, i[s.PteFrame + p]); // §8.3: a repoint clears the old PTE
                i[s.LastUnmapped + t * pages + p] = i[s.PteFrame + p];
            }
            i[s.PteFrame + p] = f;
        }
        w[s.PtePresent] |= op.Pages;
        if (op.ReadOnly) w[s.PteWritable] &= ~op.Pages;
        else w[s.PteWritable] |= op.Pages;
        if (dirty) // §8.3: pte_install sets D = W (wp_page_copy installs writable PTEs dirty)
        {
            if (op.ReadOnly) w[s.PteDirty] &= ~op.Pages;
            else w[s.PteDirty] |= op.Pages;
        }
        Changed(t, repointed);
    }

    private void PteRestore(int t, in Op op)
    {
        ulong changed = 0;
        for (ulong m = op.Pages; m != 0; m &= m - 1)
        {
            int p = Lowest(m);
            ulong bit = 1UL << p;
            int f = i[s.LastUnmapped + t * pages + p];
            if (f < 0) continue;
            if ((w[s.PtePresent] & bit) != 0
                && (i[s.PteFrame + p] != f || (op.ReadOnly && (w[s.PteWritable] & bit) != 0)))
                changed |= bit;
            if (dirty) // §8.3: pte_restore ro clears D; plain pte_restore puts back the D this thread cleared
            {
                if ((w[s.PtePresent] & bit) != 0 && i[s.PteFrame + p] != f) DirtyOnClear(t, p, i[s.PteFrame + p]);
                bool d = !op.ReadOnly && (w[s.ClearedDirty + t] & bit) != 0;
                if (d) w[s.PteDirty] |= bit; else w[s.PteDirty] &= ~bit;
                w[s.PteProtnone] &= ~bit;
            }
            i[s.PteFrame + p] = f;
            i[s.LastUnmapped + t * pages + p] = -1;
            w[s.PtePresent] |= bit;
            if (op.ReadOnly) w[s.PteWritable] &= ~bit;
            else w[s.PteWritable] |= bit;
        }
        Changed(t, changed);
    }

    /// <summary>mremap's move_ptes: the present PTEs of [A,B) move, frame and permission, to [D, D+B-A).</summary>
    private void PteMove(int t, in Op op)
    {
        Span<int> frames = stackalloc int[64];
        ulong moved = op.Pages & w[s.PtePresent];
        ulong movedWritable = moved & w[s.PteWritable];
        ulong movedDirty = 0, movedProtnone = 0;
        if (dirty) // §8.3: pte_move carries D and PROT_NONE along
        {
            for (ulong m = moved; m != 0; m &= m - 1)
                if (PteDirtyBit(Lowest(m))) movedDirty |= 1UL << Lowest(m);
            movedProtnone = moved & w[s.PteProtnone];
            w[s.PteDirty] &= ~moved;
            w[s.PteProtnone] &= ~moved;
        }
        for (ulong m = moved; m != 0; m &= m - 1)
        {
            int p = Lowest(m);
            frames[p] = i[s.PteFrame + p];
            i[s.PteFrame + p] = -1;
        }
        w[s.PtePresent] &= ~moved;
        w[s.PteWritable] &= ~moved;
        ulong changed = moved;
        int shift = op.Arg;
        for (ulong m = moved; m != 0; m &= m - 1)
        {
            int p = Lowest(m);
            int d = p + shift;
            ulong bit = 1UL << d;
            if ((w[s.PtePresent] & bit) != 0)
            {
                changed |= bit;
                if (dirty) DirtyOnClear(t, d, i[s.PteFrame + d]);
            }
            if (dirty)
            {
                if ((movedDirty >> p & 1) != 0) w[s.PteDirty] |= bit; else w[s.PteDirty] &= ~bit;
                if ((movedProtnone >> p & 1) != 0) w[s.PteProtnone] |= bit; else w[s.PteProtnone] &= ~bit;
            }
            i[s.PteFrame + d] = frames[p];
            w[s.PtePresent] |= bit;
            if ((movedWritable >> p & 1) != 0) w[s.PteWritable] |= bit;
            else w[s.PteWritable] &= ~bit;
        }
        Changed(t, changed);
    }

    /// <summary>Fault-path upgrade: x86 does not flush; arm64 flushes the page (__ptep_set_access_flags →
    /// flush_tlb_page), which in 6.6 also reaches the secondaries.</summary>
    private void PtepSetAccessFlags(int t, in Op op)
    {
        w[s.PteWritable] |= op.Pages & w[s.PtePresent];
        if (dirty) w[s.PteDirty] |= op.Pages & w[s.PtePresent]; // §8.3: the fault sets D
        if (program.Arch == Arch.Arm64) FlushTlb(t, op.Pages, op.Start, op.End, full: false);
    }

    // ---- pages ----

    /// <summary>§3.6 rule 2: get_page and copy_page take the mapped frame, else the one this thread last unmapped.</summary>
    private int MappedOrUnmapped(int t, int p) =>
        (w[s.PtePresent] >> p & 1) != 0 ? i[s.PteFrame + p] : i[s.LastUnmapped + t * pages + p];

    private void CopyPage(int t, ulong pagesMask)
    {
        for (ulong m = pagesMask; m != 0; m &= m - 1)
        {
            int p = Lowest(m);
            int f = MappedOrUnmapped(t, p);
            if (f < 0) continue;
            i[s.FrameCopied + f] = 1;
            s.C[s.CopiedContent + t * pages + p] = s.C[s.FrameContent + f];
        }
    }

    private void GetPage(int t, ulong pagesMask)
    {
        for (ulong m = pagesMask; m != 0; m &= m - 1)
        {
            int f = MappedOrUnmapped(t, Lowest(m));
            if (f >= 0 && i[s.FrameOwner + f] == ModelState.OwnerMm) i[s.FrameRef + f]++;
        }
    }

    /// <summary>§3.6 rule 2: put_page drops the frame this thread last unmapped at P if any, else the mapped one.</summary>
    private void PutPage(int t, ulong pagesMask)
    {
        for (ulong m = pagesMask; m != 0; m &= m - 1)
        {
            int p = Lowest(m);
            int f = i[s.LastUnmapped + t * pages + p];
            if (f < 0 && (w[s.PtePresent] >> p & 1) != 0) f = i[s.PteFrame + p];
            if (f >= 0) PutFrame(f);
        }
    }

    private void PutFrame(int f)
    {
        if (i[s.FrameOwner + f] != ModelState.OwnerMm || i[s.FrameRef + f] <= 0) return;
        if (--i[s.FrameRef + f] > 0) return;
        i[s.FrameOwner + f] = ModelState.OwnerFree;
        if (dirty) i[s.FrameCache + f] = 0; // §8: a truncated page leaves the page cache
        int slot = (i[s.FreeHead] + i[s.FreeCount]) % s.MaxFrames;
        i[s.FreeQueue + slot] = f;
        i[s.FreeCount]++;
        freedThisStep = true;
        recorder?.FrameFreed(f);
    }

    // ---- deferred flushes (reclaim) ----

    /// <summary>set_tlb_ubc_flush_pending: the CPU flush is deferred; mm->tlb_flush_batched is set (from 4.13,
    /// 3ea277194daa). From 6.6 x86 invalidates the secondaries at registration with (0, -1)
    /// (arch_tlbbatch_add_pending), arm64 with the page's range.</summary>
    private void SetTlbUbcFlushPending(int t, in Op op)
    {
        w[s.Deferred + t] |= op.Pages;
        if (rules.Has(ReleaseRule.TlbFlushBatched)) i[s.TlbFlushBatched] = 1;
        if (!rules.Has(ReleaseRule.ArchFlushInvalidatesSecondaries)) return;
        if (program.Arch == Arch.X86) InvalidateSecondaryTlbs(0, ulong.MaxValue);
        else InvalidateSecondaryTlbs(op.Start, op.End);
    }

    /// <summary>try_to_unmap_flush: the CPU flush of this thread's deferred pages; no secondary call in any
    /// profile; mm->tlb_flush_batched stays set (§3.6 rule 9).</summary>
    private void TryToUnmapFlush(int t)
    {
        ulong deferred = w[s.Deferred + t];
        if (deferred == 0) return;
        CpuFlush(t, deferred, full: false);
        w[s.Deferred + t] = 0;
    }

    // ---- mmu_gather ----

    /// <summary>tlb_gather_mmu: start = TASK_SIZE, end = 0; fullmm: start = end = ~0 (§3.6 rule 5);
    /// inc_tlb_flush_pending from 4.13 (a gather counts in the counter).</summary>
    private void TlbGatherMmu(int t, bool fullmm)
    {
        i[s.GatherActive + t] = 1;
        i[s.GatherFullmm + t] = fullmm ? 1 : 0;
        i[s.GatherFreedTables + t] = 0;
        i[s.GatherCleared + t] = 0;
        i[s.GatherBatchCount + t] = 0;
        w[s.GatherStart + t] = fullmm ? ulong.MaxValue : program.UserEnd;
        w[s.GatherEnd + t] = fullmm ? ulong.MaxValue : 0;
        if (rules.Has(ReleaseRule.TlbFlushPendingCounter)) i[s.TlbFlushPending]++;
    }

    private void ZapPteRange(int t, in Op op)
    {
        ulong cleared = op.Pages & w[s.PtePresent];
        for (ulong m = cleared; m != 0; m &= m - 1)
        {
            int p = Lowest(m);
            int f = i[s.PteFrame + p];
            if (dirty) // §8.3 and §8.5: transfer D; force_flush and the delayed rmap for a dirty page-cache PTE
            {
                bool wasDirty = PteDirtyBit(p);
                DirtyOnClear(t, p, f);
                DirtyOnZap(t, p, f, wasDirty);
            }
            i[s.LastUnmapped + t * pages + p] = f;
            i[s.PteFrame + p] = -1;
            i[s.GatherBatch + t * s.MaxBatch + i[s.GatherBatchCount + t]++] = f;
            WidenGather(t, p);
        }
        w[s.PtePresent] &= ~cleared;
        w[s.PteWritable] &= ~cleared;
        if (cleared != 0) i[s.GatherCleared + t] = 1;
        w[s.Cover + t] |= op.Pages;
        Changed(t, cleared);
    }

    /// <summary>__tlb_adjust_range: the gather's [start, end) grows by min/max to include the page.</summary>
    private void WidenGather(int t, int p)
    {
        ulong lo = (ulong)p << Bound.PageShift;
        ulong hi = lo + Bound.PageSize;
        if (lo < w[s.GatherStart + t]) w[s.GatherStart + t] = lo;
        if (hi > w[s.GatherEnd + t]) w[s.GatherEnd + t] = hi;
    }

    /// <summary>mprotect's change_pte_range: downgrades always need a flush, upgrades on arm64, and on x86 until
    /// pte_needs_flush (c9fe66560bf2, 5.19); the flush
    /// is recorded in the active gather (changed pages only) or, with no gather (4.14 style), done on R at
    /// the end of the op — only when some PTE changed (§3.6 rule 9).</summary>
    private void ChangeProtection(int t, in Op op)
    {
        ulong changed;
        bool needsFlush;
        if (op.ReadOnly)
        {
            changed = op.Pages & w[s.PtePresent] & w[s.PteWritable];
            w[s.PteWritable] &= ~changed;
            w[s.Cover + t] |= op.Pages;
            Changed(t, changed);
            needsFlush = changed != 0;
        }
        else
        {
            changed = op.Pages & w[s.PtePresent] & ~w[s.PteWritable];
            w[s.PteWritable] |= changed;
            needsFlush = changed != 0 && (program.Arch == Arch.Arm64 || rules.Has(ReleaseRule.X86MprotectFlushesUpgrades));
        }
        if (!needsFlush) return;
        if (i[s.GatherActive + t] != 0)
        {
            for (ulong m = changed; m != 0; m &= m - 1) WidenGather(t, Lowest(m));
            i[s.GatherCleared + t] = 1;
        }
        else FlushTlb(t, op.Pages, op.Start, op.End, full: false);
    }

    /// <summary>tlb_flush_mmu: flush the gathered range (until 0758cd830494, 5.6: unless end == 0; then: unless
    /// nothing was cleared and no tables freed), invalidate the secondaries (3.19-6.5: mmu_notifier_invalidate_range
    /// in tlb_flush_mmu_tlbonly over (start, end); 6.6: through the arch flush, (0, -1) for fullmm), reset the
    /// range, free the batched frames.</summary>
    private void TlbFlushMmu(int t)
    {
        GatherFlush(t);
        if (dirty) // §8.3: tlb_flush_mmu clears force_flush and removes leftover delayed rmaps before freeing
        {
            i[s.ForceFlushFlag + t] = 0;
            TlbFlushRmaps(t);
        }
        int batched = i[s.GatherBatchCount + t];
        for (int k = 0; k < batched; k++) PutFrame(i[s.GatherBatch + t * s.MaxBatch + k]);
        i[s.GatherBatchCount + t] = 0;
        if (tree is not null) FreeTableBatch(t); // §7
    }

    /// <summary>The flush half of tlb_flush_mmu (tlb_flush_mmu_tlbonly): the CPU flush of the gathered range when
    /// the release flushes it, the secondaries as the release has it, then the range, cleared and freed_tables
    /// reset. Frees nothing.</summary>
    private void GatherFlush(int t)
    {
        bool fullmm = i[s.GatherFullmm + t] != 0;
        ulong start = w[s.GatherStart + t], end = w[s.GatherEnd + t];
        bool flush = rules.Has(ReleaseRule.GatherFlushesOnlyWhatWasCleared)
            ? i[s.GatherCleared + t] != 0 || i[s.GatherFreedTables + t] != 0
            : end != 0;
        if (!flush) return;
        ulong mask = fullmm ? allPages : OrderingCompiler.Touched(start, end, pages);
        CpuFlush(t, mask, fullmm);
        if (rules.Has(ReleaseRule.ArchFlushInvalidatesSecondaries))
            InvalidateSecondaryTlbs(fullmm ? 0 : start, fullmm ? ulong.MaxValue : end);
        else if (rules.Has(ReleaseRule.GatherFlushInvalidatesSecondaries))
            InvalidateSecondaryTlbs(start, end);
        w[s.GatherStart + t] = fullmm ? ulong.MaxValue : program.UserEnd;
        w[s.GatherEnd + t] = fullmm ? ulong.MaxValue : 0;
        i[s.GatherCleared + t] = 0;
        i[s.GatherFreedTables + t] = 0;
    }

    /// <summary>tlb_finish_mmu: when gathers nest (mm_tlb_flush_nested, from 4.13), 4.13-5.1 widen the gather by
    /// the caller's range (4.20-5.1 after resetting it); from 5.2 it becomes fullmm with start = end = ~0 and
    /// freed_tables (7a30df49f63a). Then one tlb_flush_mmu and dec_tlb_flush_pending.</summary>
    private void TlbFinishMmu(int t, in Op op)
    {
        if (rules.Has(ReleaseRule.TlbFlushPendingCounter) && i[s.TlbFlushPending] > 1)
        {
            if (rules.Has(ReleaseRule.NestedFinishForcesFullFlush))
            {
                i[s.GatherFullmm + t] = 1;
                w[s.GatherStart + t] = ulong.MaxValue;
                w[s.GatherEnd + t] = ulong.MaxValue;
                i[s.GatherFreedTables + t] = 1;
            }
            else if (rules.Has(ReleaseRule.NestedFinishWidensByRange))
            {
                if (rules.Has(ReleaseRule.NestedFinishResetsFirst))
                {
                    bool fullmm = i[s.GatherFullmm + t] != 0;
                    w[s.GatherStart + t] = fullmm ? ulong.MaxValue : program.UserEnd;
                    w[s.GatherEnd + t] = fullmm ? ulong.MaxValue : 0;
                    i[s.GatherCleared + t] = 0;
                    i[s.GatherFreedTables + t] = 0;
                }
                if (op.HasRange)
                {
                    if (op.Start < w[s.GatherStart + t]) w[s.GatherStart + t] = op.Start;
                    if (op.End > w[s.GatherEnd + t]) w[s.GatherEnd + t] = op.End;
                }
            }
        }
        TlbFlushMmu(t);
        if (rules.Has(ReleaseRule.TlbFlushPendingCounter)) i[s.TlbFlushPending]--;
        i[s.GatherActive + t] = 0;
        i[s.GatherFullmm + t] = 0;
    }
}
