using System.Globalization;
using Checker.Invariants;
using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Model;

internal partial class Machine
{
    /// <summary>Why <paramref name="choice"/> cannot be taken now (reporting path only).</summary>
    public string WhyNot(Choice choice)
    {
        if (choice.Actor >= actors.Length) return $"there is no actor {choice.Actor}";
        if (mm2 && ActorMm(choice.Actor) != s.SelectedMm) // §7 mm2: explained on the actor's own mm (its locks)
        {
            int saved = s.SelectedMm;
            EnterMm(ActorMm(choice.Actor));
            string why = WhyNot(choice);
            EnterMm(saved);
            return why;
        }
        var a = actors[choice.Actor];
        switch (a.Kind)
        {
            case ActorKind.Thread:
            {
                if (ThreadDone(a.Thread)) return $"{a.Name} has already returned";
                ref readonly Op op = ref ops[NextOpIndex(a.Thread)];
                string text = program.OpText[NextOpIndex(a.Thread)];
                if (tree is not null && !TreeOpEnabled(a.Thread, op)) // §7.6 rule 4
                    return $"{a.Name} waits at '{text}': a GUP-fast walker has IRQs off, so its IPI cannot be answered yet";
                return op.Code switch
                {
                    OpCode.MmapReadLock or OpCode.MmapWriteLock when i[s.MmapWriter] >= 0 =>
                        $"{a.Name} waits at '{text}': {actors[i[s.MmapWriter]].Name} holds mmap_lock for write",
                    OpCode.MmapWriteLock => $"{a.Name} waits at '{text}': {i[s.MmapReaders]} readers hold mmap_lock",
                    OpCode.PtlLock or OpCode.Lock =>
                        $"{a.Name} waits at '{text}': {actors[i[s.LockHolder + op.Arg]].Name} holds {program.LockNames[op.Arg]}",
                    OpCode.WaitPte => $"{a.Name} waits at '{text}': the PTE is not in that state",
                    OpCode.Fault => $"{a.Name} waits at '{text}': an invalidation is in progress (mmu_interval_read_begin sleeps)",
                    OpCode.Writeback => $"{a.Name} waits at '{text}': folio_mkclean needs the PTL, which {actors[i[s.LockHolder]].Name} holds", // §8
                    _ => $"{a.Name} cannot run '{text}'",
                };
            }
            case ActorKind.Shadow when i[s.Attached] != 0 && i[s.CtxPhase + a.Unit] != 0 && choice.Action != StepAction.Step:
                return $"{a.Name} is in the middle of a fault on page {i[s.CtxPage + a.Unit]}";
            case ActorKind.Shadow when choice.Action == StepAction.Step && i[s.CtxPhase + a.Unit] == 0:
                return $"{a.Name} has no fault in progress to continue";
            case ActorKind.Shadow when choice.Action == StepAction.Fault && i[s.ActiveInvalidations] > 0:
                return $"{a.Name} cannot begin a fault: an invalidation is in progress";
            case ActorKind.Device or ActorKind.Shadow when i[s.Attached] == 0:
                return $"{a.Name} was detached by mmu_notifier_release";
            case ActorKind.Gup when choice.Action == StepAction.Step && i[s.GupPhase + a.Unit] == 0: // §7
                return $"{a.Name} has no GUP-fast walk in progress to continue";
            case ActorKind.Gup when choice.Action != StepAction.Step && i[s.GupPhase + a.Unit] != 0:
                return $"{a.Name} is in the middle of a GUP-fast walk (IRQs off)";
            case ActorKind.Allocator when i[s.FreeCount] == 0:
                return "the allocator has no free frame to hand out";
        }
        if (EnvRemaining <= 0) return "the environment budget is spent";
        if (choice.Page >= pages) return $"page {choice.Page.ToString(CultureInfo.InvariantCulture)} is outside the page set";
        return $"{a.Name} cannot {choice.Action.ToString().ToLowerInvariant()}";
    }

    /// <summary>A one-line description of a violation found at the last step (reporting path only).</summary>
    public string Describe(InvariantId id)
    {
        var site = sites[(int)id];
        string who = site.Actor >= 0 && site.Actor < actors.Length ? actors[site.Actor].Name : "?";
        string page = site.Page >= 0 ? site.Page.ToString(CultureInfo.InvariantCulture) : "?";
        return id switch
        {
            InvariantId.StaleSecondaryAfterFlush =>
                $"dev{site.Unit} still holds a stale entry for page {page} (f{site.Frame}) at a commit point of {who}, which changed that PTE and has flushed it from the CPU TLBs",
            InvariantId.InvalidNotifierRange =>
                $"{who} sent the range ({Hex(site.Start)}, {Hex(site.End)}) to the secondaries; valid ranges are start < end <= {Hex(program.UserEnd)}, or (0, ~0)",
            InvariantId.UnbalancedNotifier => site.Start == 0 && site.End == 0
                ? $"{who}: unbalanced invalidate_range_start/end"
                : $"{who}: invalidate_range_start/end over ({Hex(site.Start)}, {Hex(site.End)}) is not paired (LIFO, same range) before the thread returned",
            InvariantId.PteChangeOutsideNotifier =>
                $"{who} changed PTE {page} with a shadow secondary attached but outside any invalidate_range_start/end covering it",
            InvariantId.UseAfterFree =>
                $"{who} reached frame f{site.Frame} through page {page}, but that frame is {(i[s.FrameOwner + site.Frame] == ModelState.OwnerFree ? "free" : "owned by another")}",
            // §7 the page-table tree
            InvariantId.WalkAfterFree =>
                $"{who} walked page {(site.Page >= pages ? "k" + (site.Page - pages).ToString(CultureInfo.InvariantCulture) : page)} into page-table page t{site.Frame}, which is {(i[s.FrameOwner + site.Frame] == ModelState.OwnerFree ? "free" : "reused by another owner")} (reached through a cached walk entry or a pointer read earlier)",
            InvariantId.AccessAfterReturn =>
                $"{who} used a stale translation of page {page} (f{site.Frame}) after a kernel thread that changed it returned",
            InvariantId.LostWrite =>
                $"{who} wrote frame f{site.Frame} through a stale translation of page {page} after the kernel copied it",
            InvariantId.LostDirty => DescribeLostDirty(who, site), // §8
            _ => $"dev{site.Unit} write-faulted {SecondaryFaultLoop.Threshold} times in a row on page {page} although the PTE is present and writable",
        };
    }

    private static string Hex(ulong v) => v == ulong.MaxValue ? "~0" : "0x" + v.ToString("x", CultureInfo.InvariantCulture);
}
