using Checker.Invariants;
using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Model;

internal partial class Machine
{
    /// <summary>An environment op written in an explicit thread (spends no budget, §3.6 rule 11).</summary>
    private bool ExplicitEnvironmentOp(int t, in Op op)
    {
        var tp = threads[t];
        switch (op.Code)
        {
            case OpCode.Read:
            case OpCode.Write:
            {
                bool write = op.Code == OpCode.Write;
                if (tp.Kind == ThreadKind.Cpu && tree is not null) TreeCpuAccess(tp.Unit, op.Arg, write); // §7
                else if (tp.Kind == ThreadKind.Cpu) CpuAccess(tp.Unit, op.Arg, write);
                else if (i[s.Attached] == 0) return true;
                else if (tp.Kind == ThreadKind.Device && tree is not null) TreeDeviceAction(tp.Unit, write ? StepAction.Write : StepAction.Read, op.Arg); // §7
                else if (tp.Kind == ThreadKind.Device) DeviceAction(tp.Unit, write ? StepAction.Write : StepAction.Read, op.Arg);
                else ShadowAccess(tp.Unit, op.Arg, write);
                return true;
            }
            case OpCode.Prefetch:
                if (tree is not null && tp.Kind == ThreadKind.Cpu) TreeCpuAccess(tp.Unit, op.Arg, write: false); // §7: prefetch kP
                else if (tree is not null && i[s.Attached] != 0) TreeDeviceAction(tp.Unit, StepAction.Prefetch, op.Arg); // §7
                else if (i[s.Attached] != 0) DeviceAction(tp.Unit, StepAction.Prefetch, op.Arg);
                return true;
            case OpCode.Fault:
                if (i[s.Attached] == 0) return true;
                return FaultStep(s.ThreadContext[t], tp.Unit, op.Arg);
            case OpCode.Reuse:
                Reuse();
                return true;
            case OpCode.GupFast: // §7 (issue 12)
                return ExplicitGupStep(t, op.Arg);
            default:
                throw new InvalidOperationException($"op {op.Code} has no implementation");
        }
    }

    // ---- CPUs ----

    /// <summary>A user CPU access: a TLB hit is used as it is (stale or not); a miss walks the PTE and caches
    /// it; a write hitting a read-only entry drops it and walks again; a fault caches nothing (§3.2, §3.6 rule 7).</summary>
    private void CpuAccess(int c, int p, bool write)
    {
        ulong bit = 1UL << p;
        int slot = s.TlbFrame + c * pages + p;
        if ((w[s.TlbValid + c] & bit) != 0)
        {
            if (!write || ((w[s.TlbWritable + c] & bit) != 0 && (!dirty || EntryDirty(s.TlbDirty + c, p, i[slot]))))
            {
                Access(CacheKind.Tlb, c, p, i[slot], write);
                return;
            }
            // a write through a read-only entry, or (§8.2 rule 3) a writable entry that cached D = 0: re-walk
            recorder?.Dropped(CacheKind.Tlb, c, bit);
            w[s.TlbValid + c] &= ~bit;
            w[s.TlbWritable + c] &= ~bit;
        }
        if (!Walk(p, write))
        {
            recorder?.Fault(CacheKind.Tlb, c, p, write);
            return;
        }
        w[s.TlbValid + c] |= bit;
        if ((w[s.PteWritable] & bit) != 0) w[s.TlbWritable + c] |= bit;
        else w[s.TlbWritable + c] &= ~bit;
        i[slot] = i[s.PteFrame + p];
        if (dirty) // §8.2 rule 1: a write walk sets the PTE's D; the entry caches D
        {
            if (write) SetPteDirtyByWalk(p);
            CacheDirtyBit(s.TlbDirty + c, p);
        }
        recorder?.Cached(CacheKind.Tlb, c, p);
        Access(CacheKind.Tlb, c, p, i[slot], write);
    }

    /// <summary>A page-table walk for an access: succeeds when the PTE is present (and writable for a write).</summary>
    private bool Walk(int p, bool write)
    {
        ulong bit = 1UL << p;
        return (w[s.PtePresent] & bit) != 0 && (!write || (w[s.PteWritable] & bit) != 0) && !Protnone(p); // §8: PROT_NONE fails every walk
    }

    // ---- devices (shared page table) ----

    /// <summary>A device action through its IOTLB: like a CPU, walking the page table with no lock; prefetch
    /// (ATS) caches whatever the walk finds; with keeps-entry-on-fault a write hitting a read-only entry
    /// faults and keeps it, counting towards secondary-fault-loop when the PTE already allows the write.</summary>
    private void DeviceAction(int d, StepAction action, int p)
    {
        ulong bit = 1UL << p;
        int slot = s.IotlbFrame + d * pages + p;
        bool valid = (w[s.IotlbValid + d] & bit) != 0;
        bool loopFault = false;
        switch (action)
        {
            case StepAction.Prefetch:
                if (!valid && Walk(p, write: false)) CacheIotlb(d, p);
                break;
            case StepAction.Read:
                if (valid) Access(CacheKind.Iotlb, d, p, i[slot], write: false);
                else if (Walk(p, write: false))
                {
                    CacheIotlb(d, p);
                    Access(CacheKind.Iotlb, d, p, i[slot], write: false);
                }
                else recorder?.Fault(CacheKind.Iotlb, d, p, write: false);
                break;
            default: // write
                if (valid && (w[s.IotlbWritable + d] & bit) != 0 && (!dirty || EntryDirty(s.IotlbDirty + d, p, i[slot])))
                {
                    Access(CacheKind.Iotlb, d, p, i[slot], write: true);
                    break;
                }
                if (valid && program.Devices[d].KeepsEntryOnFault)
                {
                    // SMMU without BTM: the fault leaves the entry; the handler finds the PTE and returns
                    recorder?.Fault(CacheKind.Iotlb, d, p, write: true, keptFrame: i[slot]);
                    loopFault = Walk(p, write: true);
                    break;
                }
                if (valid)
                {
                    recorder?.Dropped(CacheKind.Iotlb, d, bit);
                    w[s.IotlbValid + d] &= ~bit;
                    w[s.IotlbWritable + d] &= ~bit;
                }
                if (Walk(p, write: true))
                {
                    if (dirty) SetPteDirtyByWalk(p); // §8.2 rule 1
                    CacheIotlb(d, p);
                    Access(CacheKind.Iotlb, d, p, i[slot], write: true);
                }
                else recorder?.Fault(CacheKind.Iotlb, d, p, write: true);
                break;
        }
        if (!loopFault)
        {
            i[s.FaultCount + d] = 0;
            return;
        }
        if (i[s.FaultPage + d] == p && i[s.FaultCount + d] > 0) i[s.FaultCount + d]++;
        else
        {
            i[s.FaultPage + d] = p;
            i[s.FaultCount + d] = 1;
        }
        if (i[s.FaultCount + d] >= SecondaryFaultLoop.Threshold)
            Flag(InvariantId.SecondaryFaultLoop, ViolationSite.Of(actor, p, i[slot], d));
    }

    private void CacheIotlb(int d, int p)
    {
        ulong bit = 1UL << p;
        w[s.IotlbValid + d] |= bit;
        if ((w[s.PteWritable] & bit) != 0) w[s.IotlbWritable + d] |= bit;
        else w[s.IotlbWritable + d] &= ~bit;
        i[s.IotlbFrame + d * pages + p] = i[s.PteFrame + p];
        if (dirty) CacheDirtyBit(s.IotlbDirty + d, p); // §8.1: the entry caches D at fill
        recorder?.Cached(CacheKind.Iotlb, d, p);
    }

    // ---- shadows ----

    /// <summary>An access through the shadow PTE; a miss or a write to a read-only sPTE would fault (done
    /// separately with <c>fault</c>), so nothing happens.</summary>
    private void ShadowAccess(int sh, int p, bool write)
    {
        ulong bit = 1UL << p;
        if ((w[s.SpteValid + sh] & bit) == 0) return;
        if (write && (w[s.SpteWritable + sh] & bit) == 0) return;
        int frame = i[s.SpteFrame + sh * pages + p];
        if (dirty && write && Tracked(frame)) i[s.FramePgDirty + frame] = 1; // §8.2 rule 4: set_page_dirty
        Access(CacheKind.Spte, sh, p, frame, write);
    }

    /// <summary>One phase of a shadow fault (Documentation/mm/hmm.rst): 1. seq = mmu_interval_read_begin()
    /// (not schedulable while an invalidation is active); 2. read the PTE; 3. under the driver lock, retry
    /// if mmu_interval_read_retry(seq) (skipped by no-retry), else install the sPTE. Returns true when the
    /// attempt is over.</summary>
    private bool FaultStep(int ctx, int sh, int p)
    {
        switch (i[s.CtxPhase + ctx])
        {
            case 0:
                i[s.CtxSeq + ctx] = i[s.Seq];
                i[s.CtxPage + ctx] = p;
                i[s.CtxPhase + ctx] = 1;
                return false;
            case 1:
            {
                int page = i[s.CtxPage + ctx];
                ulong bit = 1UL << page;
                bool present = (w[s.PtePresent] & bit) != 0 && !Protnone(page); // §8.2 rule 4: PROT_NONE installs nothing
                i[s.CtxSnapFrame + ctx] = present ? i[s.PteFrame + page] : -1;
                i[s.CtxSnapWritable + ctx] = present && (w[s.PteWritable] & bit) != 0 ? 1 : 0;
                i[s.CtxPhase + ctx] = 2;
                return false;
            }
            default:
            {
                int page = i[s.CtxPage + ctx];
                i[s.CtxPhase + ctx] = 0;
                bool retry = program.Shadows[sh] == ShadowMode.Interval && i[s.Seq] != i[s.CtxSeq + ctx];
                int frame = i[s.CtxSnapFrame + ctx];
                if (retry || frame < 0) return true;
                ulong bit = 1UL << page;
                w[s.SpteValid + sh] |= bit;
                if (i[s.CtxSnapWritable + ctx] != 0) w[s.SpteWritable + sh] |= bit;
                else w[s.SpteWritable + sh] &= ~bit;
                i[s.SpteFrame + sh * pages + page] = frame;
                recorder?.Cached(CacheKind.Spte, sh, page);
                return true;
            }
        }
    }

    // ---- the allocator ----

    /// <summary>The allocator hands the oldest free frame to another owner.</summary>
    private void Reuse()
    {
        if (i[s.FreeCount] == 0 || !program.Reuse) return;
        int head = i[s.FreeHead];
        int f = i[s.FreeQueue + head];
        i[s.FreeHead] = (head + 1) % s.MaxFrames;
        i[s.FreeCount]--;
        i[s.FrameOwner + f] = ModelState.OwnerOther;
        recorder?.FrameReused(f);
    }

    // ---- every access ----

    /// <summary>An access through cache <paramref name="kind"/> <paramref name="unit"/> reaching frame
    /// <paramref name="frame"/> for page <paramref name="p"/>: checks use-after-free, access-after-return and
    /// lost-write (§3.6 rule 7 decides what "stale" means).</summary>
    private void Access(CacheKind kind, int unit, int p, int frame, bool write)
    {
        ulong bit = 1UL << p;
        bool allowed = (w[s.PtePresent] & bit) != 0 && i[s.PteFrame + p] == frame && (!write || (w[s.PteWritable] & bit) != 0);
        recorder?.Access(kind, unit, p, frame, write, allowed);
        if (write) s.C[s.FrameContent + frame]++;
        if (write && dirty) DirtyStore(p, frame); // §8.4 (b)
        bool owned = i[s.FrameOwner + frame] == ModelState.OwnerMm;
        if (mm2 && owned) owned = MmOwns(s.SelectedMm, frame); // §7 mm2: a frame of the other mm is not this mm's
        if (UseAfterFree.IsViolatedBy(owned))
            Flag(InvariantId.UseAfterFree, ViolationSite.Of(actor, p, frame));
        if (allowed) return;
        if (AccessAfterReturn.IsViolatedBy(w[s.ReturnedCover], p))
            Flag(InvariantId.AccessAfterReturn, ViolationSite.Of(actor, p, frame));
        if (LostWrite.IsViolatedBy(write, i[s.FrameCopied + frame] != 0))
            Flag(InvariantId.LostWrite, ViolationSite.Of(actor, p, frame));
    }
}
