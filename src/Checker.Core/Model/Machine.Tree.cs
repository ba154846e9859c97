using Checker.Invariants;
using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Model;

/// <summary>
/// §7 the page-table tree (DESIGN §7): table frames, walk entries (W2 → the PMD table, W1[r] → region r's PTE
/// table, W1k[j] → kernel region j's PTE table) in CPUs and devices, the walk as one step, GUP-fast, the PMD-level
/// ops, the flush scopes of §7.4 per arch, <c>walk-after-free</c>. Every entry point is reached only when
/// <see cref="tree"/> is set: with the tree off the machine runs exactly the code it ran before.
/// </summary>
internal partial class Machine
{
    /// <summary>What kind of flush the running op performs (§7.4 rows), read by <see cref="TreeCpuFlush"/>.</summary>
    private enum TreeFlush : byte { Range, Page, Mm, Gather, Deferred }

    private TreeLayout? tree;
    private TreeFlush treeFlush;
    private int hugeFrom; // the PMD table the last walk found a huge entry in (FillLeaf reads the region's frames there)

    private TreeLayout T => tree!;

    private void InitTree()
    {
        tree = program.Tree;
        mm2 = tree is { HasMm2: true }; // §7 mm2
    }

    // ---- tables ----

    private bool TableLive(int frame) => i[s.FrameOwner + frame] == ModelState.OwnerMm;

    private int Slot(int frame) => frame - T.TableBase;

    /// <summary>Pages in regions whose PMD entry is a table: what PTE ops act on (§7.6 rule 6).</summary>
    private ulong TablePages()
    {
        ulong m = 0;
        for (int r = 0; r < T.Regions; r++)
            if (i[s.PmdKind + r] == ModelState.PmdTable) m |= T.RegionMask[r];
        return m;
    }

    /// <summary>PTE k of the table in <paramref name="frame"/>: the flat PTEs of the region it is linked at, else
    /// what it held when it was unlinked.</summary>
    private void ReadPte(int frame, int k, out bool present, out int pteFrame, out bool writable)
    {
        for (int set = 0; set < (mm2 ? 2 : 1); set++) // §7 mm2: the table is linked in mm 0's PMD table or in mm 1's
        {
            int kinds = mm2 ? s.SetKind(set) : s.PmdKind, tables = mm2 ? s.SetPmdFrame(set) : s.PmdFrame;
            for (int r = 0; r < T.Regions; r++)
            {
                if (i[kinds + r] != ModelState.PmdTable || i[tables + r] != frame) continue;
                int p = r * T.Span + k;
                ulong bit = 1UL << p;
                present = (w[mm2 ? s.SetPresent(set) : s.PtePresent] & bit) != 0;
                writable = (w[mm2 ? s.SetWritable(set) : s.PteWritable] & bit) != 0;
                pteFrame = i[(mm2 ? s.SetFrame(set) : s.PteFrame) + p];
                return;
            }
        }
        int slot = Slot(frame);
        present = (w[s.DetPresent + slot] >> k & 1) != 0;
        writable = (w[s.DetWritable + slot] >> k & 1) != 0;
        pteFrame = i[s.DetFrame + slot * T.Span + k];
    }

    /// <summary>Unlinks region r's PTE table: its PTEs go with it; the live view of the region becomes none.
    /// Returns the table frame (or -1) and the pages whose present translation went away.</summary>
    private int UnlinkTable(int t, int r, out ulong taken)
    {
        taken = 0;
        if (i[s.PmdKind + r] != ModelState.PmdTable) return -1;
        int frame = i[s.PmdFrame + r];
        int slot = Slot(frame);
        ulong region = T.RegionMask[r];
        int first = r * T.Span;
        w[s.DetPresent + slot] = (w[s.PtePresent] & region) >> first;
        w[s.DetWritable + slot] = (w[s.PteWritable] & region) >> first;
        taken = w[s.PtePresent] & region;
        for (int k = 0; k < T.Span; k++)
        {
            int p = first + k;
            i[s.DetFrame + slot * T.Span + k] = (taken >> p & 1) != 0 ? i[s.PteFrame + p] : -1;
            if ((taken >> p & 1) != 0) i[s.LastUnmapped + t * pages + p] = i[s.PteFrame + p];
            i[s.PteFrame + p] = -1;
        }
        w[s.PtePresent] &= ~region;
        w[s.PteWritable] &= ~region;
        i[s.PmdKind + r] = ModelState.PmdNone;
        i[s.PmdFrame + r] = -1;
        recorder?.TableUnlinked(frame);
        return frame;
    }

    /// <summary>A table frame is freed (its reference dropped to zero; a commit point of the running thread).</summary>
    private void FreeTable(int frame)
    {
        if (frame < 0) return;
        PutFrame(frame);
    }

    // ---- ops ----

    /// <summary>Runs a §7 op; false when the op is not one.</summary>
    private bool ExecuteTree(int t, int opIndex, in Op op)
    {
        int page = op.Arg;
        int r = page >= 0 ? T.RegionOf(page) : -1;
        int kregion = op.KernelPage >= 0 ? op.KernelPage / T.Span : -1;
        switch (op.Code)
        {
            case OpCode.PmdClear:
                if (kregion >= 0) PmdClearKernel(t, kregion);
                else PmdClear(t, r);
                return true;
            case OpCode.PteFree:
                if (kregion >= 0) { FreeTable(i[s.KeptK + t * T.KernelRegions + kregion]); i[s.KeptK + t * T.KernelRegions + kregion] = -1; }
                else { FreeTable(i[s.Kept + t * T.Regions + r]); i[s.Kept + t * T.Regions + r] = -1; }
                return true;
            case OpCode.PteFreeTlb:
                PteFreeTlb(t, r, nobatch: op.ReadOnly);
                return true;
            case OpCode.FreePgtables:
                FreePgtables(t, op);
                return true;
            case OpCode.PmdFreePtePage:
                PmdFreePtePage(t, kregion, op.KernelPage);
                return true;
            case OpCode.SetPmdAt:
                SetPmdAt(t, r, op.ReadOnly);
                return true;
            case OpCode.PmdpHugeGetAndClear:
                HugeClear(t, r, ModelState.PmdNone);
                return true;
            case OpCode.PmdpHugeClearFlush:
                HugeClear(t, r, ModelState.PmdNone);
                RegionFlush(t, r);
                return true;
            case OpCode.PmdpCollapseFlush:
            {
                int kept = UnlinkTable(t, r, out ulong taken);
                if (kept >= 0) i[s.Kept + t * T.Regions + r] = kept;
                else HugeClear(t, r, ModelState.PmdNone);
                Changed(t, taken);
                w[s.Cover + t] |= T.RegionMask[r];
                RegionFlush(t, r);
                return true;
            }
            case OpCode.PmdpInvalidate:
                HugeClear(t, r, ModelState.PmdInvalid);
                RegionFlush(t, r);
                return true;
            case OpCode.SplitHugePmd:
                return SplitHugePmdStep(t, opIndex, r, T.SplitSlot[opIndex]); // issue 12: two steps before 4.16 on a tracked huge page
            case OpCode.ZapHugePmd:
                ZapHugePmd(t, r);
                return true;
            case OpCode.TlbFlushPmdRange:
                WidenGatherBytes(t, op.Start, op.End);
                i[s.GatherCleared + t] = 1;
                return true;
            case OpCode.TlbRemoveTableSyncOne:
                return true; // the IPI: enabled only when no walker is in its window (OpEnabledTree)
            case OpCode.FlushTlbKernelRange:
                KernelFlush(op.KernelMask, pgtable: false);
                return true;
            case OpCode.FlushTlbKernelPgtable:
                KernelFlush(op.KernelMask, pgtable: true);
                return true;
            case OpCode.IommuSvaInvalidateKvaRange:
                SvaInvalidateKernel();
                return true;
            case OpCode.MovePgtEntry:
                MovePgtEntry(t, r, T.RegionOf(op.Destination));
                return true;
            case OpCode.HugePmdShare: // §7 mm2
                HugePmdShare(t);
                return true;
            case OpCode.HugePmdUnshare: // §7 mm2
                HugePmdUnshare(t);
                return true;
            default:
                return false;
        }
    }

    private void PmdClear(int t, int r)
    {
        int kept = UnlinkTable(t, r, out ulong taken);
        if (kept < 0) return;
        i[s.Kept + t * T.Regions + r] = kept;
        Changed(t, taken);
        w[s.Cover + t] |= taken;
    }

    private void PmdClearKernel(int t, int j)
    {
        int frame = i[s.KPmdFrame + j];
        if (frame < 0) return;
        i[s.KPmdFrame + j] = -1;
        i[s.KeptK + t * T.KernelRegions + j] = frame;
        recorder?.TableUnlinked(frame);
    }

    /// <summary>pte_free_tlb: the kept table joins the gather's table batch; the range widens by the region's first
    /// page; freed_tables. arm64 before 4.20 (f270ab88fdf2) also TLBIs VAE1IS at that page now. <c>nobatch</c>
    /// (tlb_remove_table_one): from 4.19 (x86; arm64 4.20) flush the gather first, then the IPI (enabledness), then free.</summary>
    private void PteFreeTlb(int t, int r, bool nobatch)
    {
        int slotIndex = s.Kept + t * T.Regions + r;
        int frame = i[slotIndex];
        if (frame < 0) return;
        i[slotIndex] = -1;
        WidenGather(t, r * T.Span);
        i[s.GatherFreedTables + t] = 1;
        bool arm64 = program.Arch == Arch.Arm64;
        if (arm64 && !rules.Has(ReleaseRule.Arm64PteFreeTlbDefers)) Arm64TlbiTableAddress(r);
        if (nobatch)
        {
            if (rules.Has(ReleaseRule.RemoveTableOneFlushes) && (!arm64 || rules.Has(ReleaseRule.Arm64PteFreeTlbDefers)))
                GatherFlushNoFree(t);
            FreeTable(frame);
            return;
        }
        i[s.TableBatch + t * T.Slots + i[s.TableBatchCount + t]++] = frame;
    }

    /// <summary>free_pgtables: each table region inside R: pmd_clear + pte_free_tlb; R all pages: the PUD too.</summary>
    private void FreePgtables(int t, in Op op)
    {
        for (int r = 0; r < T.Regions; r++)
        {
            if ((op.Covered & T.RegionMask[r]) != T.RegionMask[r] || i[s.PmdKind + r] != ModelState.PmdTable) continue;
            PmdClear(t, r);
            PteFreeTlb(t, r, nobatch: false);
        }
        if ((op.Covered & allPages) != allPages || i[s.MmPud] < 0) return;
        if (mm2 && T.ThreadMm[t] == 0 && PmdShared && i[s.PmdRef] > 1)
        {
            // mm 0 lets go of a table mm 1 still shares: the reference drop of huge_pmd_unshare, so mm 1 keeps the
            // table as it is (its copy) and mm 0's view of the span goes none — never mm 1's entries under mm 0's name
            Mm0Unshare(t);
            return;
        }
        int pmd = i[s.MmPud]; // §7 mm2: the acting mm's PUD
        i[s.MmPud] = -1;
        recorder?.TableUnlinked(pmd);
        if (--i[PmdRefOf(pmd)] > 0) return;
        WidenGather(t, 0);
        i[s.GatherFreedTables + t] = 1;
        if (program.Arch == Arch.Arm64 && !rules.Has(ReleaseRule.Arm64PteFreeTlbDefers)) Arm64TlbiTableAddress(0);
        i[s.TableBatch + t * T.Slots + i[s.TableBatchCount + t]++] = pmd;
    }

    /// <summary>pmd_free_pte_page (huge vmap/ioremap): pmd_clear of the kernel entry, the flush of §7.5, pte_free.
    /// x86: nothing before 4.19 (28ee90fe6048), flush_tlb_kernel_range(kP) from 4.19 (5e0fb5df2ee8), then
    /// iommu_sva_invalidate_kva_range from 6.19 (e37d5a2d60a3). arm64: __flush_tlb_kernel_pgtable(kP).</summary>
    private void PmdFreePtePage(int t, int j, int kpage)
    {
        if (j < 0) return;
        int frame = i[s.KPmdFrame + j];
        if (frame < 0) return;
        i[s.KPmdFrame + j] = -1;
        recorder?.TableUnlinked(frame);
        ulong kmask = 1UL << kpage;
        if (program.Arch == Arch.Arm64) KernelFlush(kmask, pgtable: true);
        else if (rules.Has(ReleaseRule.X86PmdFreePtePageFlushes))
        {
            KernelFlush(kmask, pgtable: false);
            if (rules.Has(ReleaseRule.SvaInvalidatesKernelRange)) SvaInvalidateKernel();
        }
        FreeTable(frame);
    }

    /// <summary>set_pmd_at: a none entry becomes huge, H fresh frames (content: this thread's copy_page).</summary>
    private void SetPmdAt(int t, int r, bool readOnly)
    {
        if (i[s.PmdKind + r] != ModelState.PmdNone) return;
        int first = r * T.Span;
        for (int k = 0; k < T.Span; k++)
        {
            int p = first + k;
            int f = i[s.FrameCount]++;
            recorder?.FrameAllocated(f);
            i[s.FrameOwner + f] = ModelState.OwnerMm;
            i[s.FrameRef + f] = 1;
            int copied = s.C[s.CopiedContent + t * pages + p];
            s.C[s.FrameContent + f] = copied >= 0 ? copied : 0;
            i[s.PteFrame + p] = f;
            if (mm2) NewFrameOwner(t, f); // §7 mm2
        }
        ulong region = T.RegionMask[r];
        w[s.PtePresent] |= region;
        if (readOnly) w[s.PteWritable] &= ~region;
        else w[s.PteWritable] |= region;
        i[s.PmdKind + r] = ModelState.PmdHuge;
    }

    /// <summary>A huge entry becomes none (the thread keeps its frames) or invalid (frames kept in the entry).</summary>
    private void HugeClear(int t, int r, int to, bool transfer = true)
    {
        if (i[s.PmdKind + r] != ModelState.PmdHuge) return;
        if (s.HasHugeDirty) HugeDirtyOnClear(r, transfer); // issue 12: the entry's D goes to PG_dirty
        ulong region = T.RegionMask[r];
        ulong taken = w[s.PtePresent] & region;
        for (ulong m = taken; m != 0; m &= m - 1)
        {
            int p = Lowest(m);
            i[s.LastUnmapped + t * pages + p] = i[s.PteFrame + p];
            if (to == ModelState.PmdNone) i[s.PteFrame + p] = -1;
        }
        w[s.PtePresent] &= ~region;
        if (to == ModelState.PmdNone) w[s.PteWritable] &= ~region;
        i[s.PmdKind + r] = to;
        Changed(t, taken);
        w[s.Cover + t] |= region;
    }

    /// <summary>split_huge_pmd: pmdp_invalidate, then a fresh PTE table mapping the huge page's frames alike.</summary>
    private void SplitHugePmd(int t, int r, int slot, bool transfer)
    {
        if (i[s.PmdKind + r] != ModelState.PmdHuge || slot < 0) return;
        HugeClear(t, r, ModelState.PmdInvalid, transfer);
        RegionFlush(t, r);
        int frame = T.TableBase + slot;
        i[s.FrameOwner + frame] = ModelState.OwnerMm;
        i[s.FrameRef + frame] = 1;
        i[s.PmdKind + r] = ModelState.PmdTable;
        i[s.PmdFrame + r] = frame;
        w[s.PtePresent] |= T.RegionMask[r];
    }

    /// <summary>zap_huge_pmd: huge → none into the gather; its frames are batched for freeing.</summary>
    private void ZapHugePmd(int t, int r)
    {
        if (i[s.PmdKind + r] != ModelState.PmdHuge) return;
        if (s.HasHugeDirty) HugeDirtyOnClear(r, transfer: false); // issue 12: zap_huge_pmd frees an anonymous THP, dirty or not
        ulong region = T.RegionMask[r];
        ulong taken = w[s.PtePresent] & region;
        for (ulong m = region; m != 0; m &= m - 1)
        {
            int p = Lowest(m);
            int f = i[s.PteFrame + p];
            if (f < 0) continue;
            i[s.LastUnmapped + t * pages + p] = f;
            i[s.PteFrame + p] = -1;
            i[s.GatherBatch + t * s.MaxBatch + i[s.GatherBatchCount + t]++] = f;
        }
        w[s.PtePresent] &= ~region;
        w[s.PteWritable] &= ~region;
        i[s.PmdKind + r] = ModelState.PmdNone;
        WidenGather(t, r * T.Span);
        WidenGather(t, r * T.Span + T.Span - 1);
        i[s.GatherCleared + t] = 1;
        Changed(t, taken);
        w[s.Cover + t] |= region;
    }

    /// <summary>move_pgt_entry (mremap's move_normal_pmd): region rs's PTE table moves, PTEs and all, to the empty
    /// region rd; no flush by itself (the caller flushes the old range).</summary>
    private void MovePgtEntry(int t, int rs, int rd)
    {
        if (rs == rd || i[s.PmdKind + rs] != ModelState.PmdTable || i[s.PmdKind + rd] != ModelState.PmdNone) return;
        int frame = i[s.PmdFrame + rs];
        ulong src = T.RegionMask[rs];
        ulong moved = w[s.PtePresent] & src;
        int shift = (rd - rs) * T.Span;
        for (int k = 0; k < T.Span; k++)
        {
            int p = rs * T.Span + k, d = rd * T.Span + k;
            i[s.PteFrame + d] = i[s.PteFrame + p];
            i[s.PteFrame + p] = -1;
        }
        ulong present = w[s.PtePresent] & src, writable = w[s.PteWritable] & src;
        w[s.PtePresent] &= ~src;
        w[s.PteWritable] &= ~src;
        w[s.PtePresent] |= shift >= 0 ? present << shift : present >> -shift;
        w[s.PteWritable] |= shift >= 0 ? writable << shift : writable >> -shift;
        i[s.PmdKind + rs] = ModelState.PmdNone;
        i[s.PmdFrame + rs] = -1;
        i[s.PmdKind + rd] = ModelState.PmdTable;
        i[s.PmdFrame + rd] = frame;
        Changed(t, moved);
        w[s.Cover + t] |= src;
    }

    // ---- flushes (§7.4) ----

    /// <summary>flush_tlb_range of region r (the pmdp_* flushes).</summary>
    private void RegionFlush(int t, int r)
    {
        ulong start = (ulong)(r * T.Span) << Bound.PageShift;
        ulong end = (ulong)((r + 1) * T.Span) << Bound.PageShift;
        var saved = treeFlush;
        treeFlush = TreeFlush.Range;
        FlushTlb(t, T.RegionMask[r], start, end, full: false);
        treeFlush = saved;
    }

    /// <summary>The gather's flush now, without freeing (tlb_flush_mmu_tlbonly inside tlb_remove_table_one).</summary>
    private void GatherFlushNoFree(int t)
    {
        var saved = treeFlush;
        treeFlush = TreeFlush.Gather;
        GatherFlush(t);
        treeFlush = saved;
    }

    /// <summary>The §7.4 kind of CPU flush the op performs.</summary>
    private void SetTreeFlushKind(OpCode code) => treeFlush = code switch
    {
        OpCode.FlushTlbPage or OpCode.PtepSetAccessFlags => TreeFlush.Page,
        OpCode.FlushTlbMm or OpCode.FlushTlbBatchedPending => TreeFlush.Mm,
        OpCode.TlbFlushMmu or OpCode.TlbFinishMmu or OpCode.PteFreeTlb or OpCode.TlbFlushMmuTlbonly => TreeFlush.Gather,
        OpCode.TryToUnmapFlush => TreeFlush.Deferred,
        _ => TreeFlush.Range,
    };

    /// <summary>
    /// The CPU half of a flush with the tree on: what each CPU (and each smmu-btm device) drops, by §7.4's row for
    /// the running op and the arch column. Returns the leaf mask the caller then drops as before (0 when the row
    /// drops no leaf: arm64's fullmm gather that freed no table).
    /// </summary>
    private ulong TreeCpuFlush(int t, ulong mask, bool full)
    {
        bool x86 = program.Arch == Arch.X86;
        bool deferred = rules.Has(ReleaseRule.Arm64PteFreeTlbDefers);
        bool freedTables = i[s.GatherFreedTables + t] != 0;
        bool allWalk, walkInRange;
        switch (treeFlush)
        {
            case TreeFlush.Mm:
                allWalk = true; walkInRange = false; mask = allPages;
                break;
            case TreeFlush.Gather when full:
                if (x86 || (deferred && freedTables)) { allWalk = true; walkInRange = false; mask = allPages; }
                else return 0;
                break;
            case TreeFlush.Gather:
                allWalk = x86; walkInRange = !x86 && deferred && freedTables;
                break;
            case TreeFlush.Page:
                allWalk = x86; walkInRange = false;
                break;
            case TreeFlush.Deferred:
                allWalk = x86; walkInRange = false;
                break;
            default: // Range
                if (full) { allWalk = true; walkInRange = false; mask = allPages; }
                else { allWalk = x86; walkInRange = !x86; }
                break;
        }
        for (int c = s.CpuFirst; c < s.CpuEnd; c++) DropUserEntries(CacheKind.Tlb, c, mask, allWalk, walkInRange); // §7 mm2: the mm's CPUs
        for (int d = 0; d < s.MmDevices; d++)
            if (program.Devices[d].Flavor == DriverFlavor.SmmuBtm) DropUserEntries(CacheKind.Iotlb, d, mask, allWalk, walkInRange);
        return mask;
    }

    /// <summary>arm64 before 4.20: __pte_free_tlb's TLBI VAE1IS at the table's address: the leaf there and every walk
    /// entry spanning it, on every CPU (and smmu-btm device).</summary>
    private void Arm64TlbiTableAddress(int r)
    {
        ulong page = 1UL << (r * T.Span);
        for (int c = s.CpuFirst; c < s.CpuEnd; c++) DropUserEntries(CacheKind.Tlb, c, page, false, true); // §7 mm2: the mm's CPUs
        for (int d = 0; d < s.MmDevices; d++)
            if (program.Devices[d].Flavor == DriverFlavor.SmmuBtm) DropUserEntries(CacheKind.Iotlb, d, page, false, true);
    }

    /// <summary>Drops leaf entries over <paramref name="mask"/> (a huge one by its whole region) and walk entries: all
    /// of the mm's, or those whose span overlaps the mask.</summary>
    private void DropUserEntries(CacheKind kind, int unit, ulong mask, bool allWalk, bool walkInRange)
    {
        bool tlb = kind == CacheKind.Tlb;
        int valid = tlb ? s.TlbValid : s.IotlbValid, writable = tlb ? s.TlbWritable : s.IotlbWritable;
        int huge = tlb ? s.TlbHuge : s.IotlbHuge;
        int w2 = tlb ? s.TlbW2 : s.IotlbW2, w1 = tlb ? s.TlbW1 : s.IotlbW1;
        ulong leaf = mask | T.RegionsOf(mask & w[huge + unit]);
        ulong dropped = w[valid + unit] & leaf;
        if (dropped != 0)
        {
            recorder?.Dropped(kind, unit, dropped);
            w[valid + unit] &= ~leaf;
            w[writable + unit] &= ~leaf;
        }
        w[huge + unit] &= ~leaf;
        if (!allWalk && !walkInRange) return;
        if (i[w2 + unit] >= 0 && (allWalk || (mask & allPages) != 0))
        {
            recorder?.WalkDropped(kind, unit, i[w2 + unit]);
            i[w2 + unit] = -1;
        }
        for (int r = 0; r < T.Regions; r++)
        {
            int slot = w1 + unit * T.Regions + r;
            if (i[slot] < 0 || !(allWalk || (mask & T.RegionMask[r]) != 0)) continue;
            recorder?.WalkDropped(kind, unit, i[slot]);
            i[slot] = -1;
        }
    }

    /// <summary>flush_tlb_kernel_range (x86: every kernel walk entry of every CPU; arm64 VAALE1IS: leaf only, and
    /// kernel PTEs are never present) or arm64 __flush_tlb_kernel_pgtable (VAAE1IS: the kernel walk entries
    /// spanning the pages).</summary>
    private void KernelFlush(ulong kmask, bool pgtable)
    {
        bool x86 = program.Arch == Arch.X86;
        if (!pgtable && !x86) return;
        for (int c = 0; c < s.Cpus; c++)
        {
            for (int j = 0; j < T.KernelRegions; j++)
            {
                int slot = s.TlbW1k + c * T.KernelRegions + j;
                if (i[slot] < 0) continue;
                if (pgtable && (kmask >> (j * T.Span) & (T.Span == 64 ? ulong.MaxValue : (1UL << T.Span) - 1)) == 0) continue;
                recorder?.WalkDropped(CacheKind.Tlb, c, i[slot]);
                i[slot] = -1;
            }
        }
    }

    /// <summary>A secondary invalidation (start, end) on device d with the tree on: walk entries whose span
    /// overlaps what the driver drops; "everything" includes the kernel entries (AMD PDE bit, Intel ih = 0,
    /// SMMUv3 leaf = false).</summary>
    private void TreeInvalidateDevice(int d, ulong start, ulong end)
    {
        var flavor = program.Devices[d].Flavor;
        if (flavor == DriverFlavor.SmmuBtm) return;
        ulong user = DriverArithmetic.Dropped(flavor, start, end, pages);
        DropUserEntries(CacheKind.Iotlb, d, user, allWalk: false, walkInRange: true);
        ulong kernel = KernelDropped(flavor, start, end);
        for (int j = 0; j < T.KernelRegions; j++)
        {
            int slot = s.IotlbW1k + d * T.KernelRegions + j;
            if (i[slot] < 0 || (kernel >> (j * T.Span) & ((1UL << T.Span) - 1)) == 0) continue;
            recorder?.WalkDropped(CacheKind.Iotlb, d, i[slot]);
            i[slot] = -1;
        }
    }

    /// <summary>Kernel pages (bit k = kP) the driver arithmetic of §3.3 drops for (start, end).</summary>
    private ulong KernelDropped(DriverFlavor flavor, ulong start, ulong end)
    {
        ulong all = T.KernelPages == 64 ? ulong.MaxValue : (1UL << T.KernelPages) - 1;
        unchecked
        {
            switch (flavor)
            {
                case DriverFlavor.Exact:
                    return start >= end ? 0 : KernelInterval(start, end - start);
                case DriverFlavor.Amd:
                    return (start ^ (end - 1)) < Bound.PageSize ? KernelInterval(start & ~(Bound.PageSize - 1), Bound.PageSize) : all;
                case DriverFlavor.Intel:
                case DriverFlavor.IntelFixed:
                    if (flavor == DriverFlavor.IntelFixed && start == 0 && end == ulong.MaxValue) return all;
                    if (end <= start) return 0;
                    return KernelInterval(start, ((end - start + Bound.PageSize - 1) >> Bound.PageShift) << Bound.PageShift);
                case DriverFlavor.Smmu:
                    return end - start == 0 ? 0 : KernelInterval(start, end - start);
                case DriverFlavor.SmmuFixed:
                {
                    ulong size = end - start;
                    return size == 0 || size >= 1UL << 48 ? all : KernelInterval(start, size);
                }
                default:
                    return 0;
            }
        }
    }

    private ulong KernelInterval(ulong start, ulong length)
    {
        ulong mask = 0;
        unchecked
        {
            for (int k = 0; k < T.KernelPages; k++)
            {
                ulong lo = Bound.KernelBase + ((ulong)k << Bound.PageShift);
                if (lo - start < length || start - lo < Bound.PageSize) mask |= 1UL << k;
            }
        }
        return mask;
    }

    /// <summary>iommu_sva_invalidate_kva_range (6.19, e37d5a2d60a3): each SVA device invalidates the kernel half by
    /// its flavor. Not a notifier call: invalid-notifier-range ignores it (§7.6 rule 8).</summary>
    private void SvaInvalidateKernel()
    {
        const ulong Start = 0xffff888000000000UL, End = ulong.MaxValue;
        for (int d = 0; d < s.Devices; d++)
        {
            var flavor = program.Devices[d].Flavor;
            if (flavor == DriverFlavor.SmmuBtm) continue;
            ulong dropped = w[s.IotlbValid + d] & DriverArithmetic.Dropped(flavor, Start, End, pages);
            recorder?.Dropped(CacheKind.Iotlb, d, dropped);
            w[s.IotlbValid + d] &= ~dropped;
            w[s.IotlbWritable + d] &= ~dropped;
            TreeInvalidateDevice(d, Start, End);
        }
    }

    // ---- IPIs and RCU (§7.6 rules 4, 5) ----

    private int WalkersInWindow()
    {
        int mask = 0;
        for (int g = 0; g < T.GupWalkers; g++)
            if (i[s.GupPhase + g] != 0) mask |= 1 << g;
        return mask;
    }

    /// <summary>§7.6 rule 4: an op sending an IPI waits while a GUP-fast walker has IRQs off.</summary>
    private bool TreeOpEnabled(int t, in Op op)
    {
        if (T.GupWalkers == 0 || WalkersInWindow() == 0) return true;
        if (T.HasMm2 && NoWalkerOfMmInWindow(T.ThreadMm[t]) && !WaitsForEveryWalker(op)) return true; // §7 mm2
        bool x86 = program.Arch == Arch.X86;
        switch (op.Code)
        {
            case OpCode.TlbRemoveTableSyncOne:
            case OpCode.FlushTlbKernelRange:
                return false;
            case OpCode.PteFreeTlb:
                return !op.ReadOnly;
            case OpCode.PmdFreePtePage:
                return !(x86 && rules.Has(ReleaseRule.X86PmdFreePtePageFlushes));
            case OpCode.FlushTlbRange:
            case OpCode.FlushTlbPage:
            case OpCode.FlushTlbMm:
            case OpCode.PtepClearFlush:
            case OpCode.PtepClearFlushNotify:
            case OpCode.PmdpHugeClearFlush:
            case OpCode.PmdpCollapseFlush:
            case OpCode.PmdpInvalidate:
            case OpCode.SplitHugePmd:
                return !x86;
            case OpCode.FlushTlbBatchedPending:
                return !x86 || i[s.TlbFlushBatched] == 0;
            case OpCode.TryToUnmapFlush:
                return !x86 || w[s.Deferred + t] == 0;
            case OpCode.TlbFlushMmu:
            case OpCode.TlbFinishMmu:
                return !x86 || (i[s.GatherCleared + t] == 0 && i[s.GatherFreedTables + t] == 0 && !(i[s.GatherFullmm + t] != 0));
            case OpCode.ChangeProtection:
                return !x86 || i[s.GatherActive + t] != 0;
            default:
                return true;
        }
    }

    /// <summary>tlb_flush_mmu's table half: each batched table is freed by RCU once no walker that was in its window
    /// at this moment still is (§7.6 rule 5); at once when none is.</summary>
    private void FreeTableBatch(int t)
    {
        int count = i[s.TableBatchCount + t];
        if (count == 0) return;
        int window = WalkersInWindow();
        for (int k = 0; k < count; k++)
        {
            int frame = i[s.TableBatch + t * T.Slots + k];
            if (window == 0) FreeTable(frame);
            else
            {
                i[s.RcuWalkers + Slot(frame)] = 1 + window;
                i[s.RcuThread + Slot(frame)] = t;
            }
        }
        i[s.TableBatchCount + t] = 0;
    }

    /// <summary>After every step: RCU frees whose grace period ended (each a commit point of its batching thread).</summary>
    private void RcuStep()
    {
        if (T.GupWalkers == 0) return;
        int window = WalkersInWindow();
        for (int k = 0; k < T.Slots; k++)
        {
            int pending = i[s.RcuWalkers + k];
            if (pending == 0) continue;
            int left = (pending - 1) & window;
            if (left != 0) { i[s.RcuWalkers + k] = 1 + left; continue; }
            i[s.RcuWalkers + k] = 0;
            freedThisStep = false;
            int thread = i[s.RcuThread + k];
            int mm = mm2 ? T.ThreadMm[thread] : 0; // §7 mm2: a commit point of the batching thread, on its mm
            if (mm != 0) EnterMm(mm);
            FreeTable(T.TableBase + k);
            if (threads[thread].IsKernel) CommitPoint(thread);
            if (mm != 0) EnterMm(0);
        }
    }

    // ---- walks (§7.2) ----

    private void WalkAfterFree(int unitPage, int frame) =>
        Flag(InvariantId.WalkAfterFree, ViolationSite.Of(actor, unitPage, frame));

    /// <summary>The hardware walk of user page p by a CPU or device, in one step: through W1, else W2, else the PUD;
    /// caches each present table pointer it reads. False on a fault or a walk-after-free (no access).</summary>
    private bool TreeWalk(CacheKind kind, int unit, int p, bool write, out int frame, out bool writable, out bool huge)
    {
        hugeFrom = i[s.MmPud]; // §7 mm2: the walking CPU's mm
        frame = -1;
        writable = huge = false;
        bool tlb = kind == CacheKind.Tlb;
        int w2 = (tlb ? s.TlbW2 : s.IotlbW2) + unit;
        int r = T.RegionOf(p);
        int w1 = (tlb ? s.TlbW1 : s.IotlbW1) + unit * T.Regions + r;
        int table = i[w1];
        if (table >= 0)
        {
            if (!TableLive(table)) { WalkAfterFree(p, table); return false; }
        }
        else
        {
            int pmd = i[w2];
            if (pmd >= 0)
            {
                if (!TableLive(pmd)) { WalkAfterFree(p, pmd); return false; }
            }
            else
            {
                pmd = i[s.MmPud];
                if (pmd < 0) return false;
                i[w2] = pmd;
                recorder?.WalkCached(kind, unit, pmd);
            }
            int entry = PmdEntryKind(pmd, r, out int entryTable); // §7 mm2: mm 1's copy once mm 0 unshared it
            if (entry == ModelState.PmdHuge)
            {
                if (!HugeLeaf(pmd, p, out frame, out writable)) return false;
                huge = true;
                hugeFrom = pmd;
                return !write || writable;
            }
            if (entry != ModelState.PmdTable) return false;
            table = entryTable;
            i[w1] = table;
            recorder?.WalkCached(kind, unit, table);
        }
        ReadPte(table, p % T.Span, out bool present, out frame, out writable);
        if (dirty && present && WalkedLivePte(p, frame) && Protnone(p)) return false; // §8.2 rule 1: PROT_NONE fails every walk
        return present && (!write || writable);
    }

    /// <summary>§7 with §8: the walk read the live PTE of p (a table the tree still links, not a huge PMD), so the
    /// §8.2 hardware rules (D set by a write walk, D cached at fill, PROT_NONE) apply to it.</summary>
    private bool WalkedLivePte(int p, int frame) =>
        i[s.PmdKind + T.RegionOf(p)] == ModelState.PmdTable && (w[s.PtePresent] >> p & 1) != 0 && i[s.PteFrame + p] == frame;

    /// <summary>§7 with §8: after a tree walk filled a leaf, a write walk sets the PTE's D and the entry caches D.</summary>
    private void TreeFillDirty(int cacheDirtyWord, int p, int frame, bool write)
    {
        if (!WalkedLivePte(p, frame)) return;
        if (write) SetPteDirtyByWalk(p);
        CacheDirtyBit(cacheDirtyWord, p);
    }

    /// <summary>A speculative walk of kernel page kP (CPUs; devices under x86): caches the kernel PTE table pointer;
    /// kernel PTEs are never present, so no leaf.</summary>
    private void KernelWalk(CacheKind kind, int unit, int kpage)
    {
        int j = kpage / T.Span;
        int slot = (kind == CacheKind.Tlb ? s.TlbW1k : s.IotlbW1k) + unit * T.KernelRegions + j;
        int table = i[slot];
        if (table >= 0)
        {
            if (!TableLive(table)) WalkAfterFree(pages + kpage, table);
            return;
        }
        table = i[s.KPmdFrame + j];
        if (table < 0) return;
        i[slot] = table;
        recorder?.WalkCached(kind, unit, table);
    }

    /// <summary>Fills the leaf entry (or, from a huge PMD, the entries of its whole region).</summary>
    private void FillLeaf(CacheKind kind, int unit, int p, int frame, bool writable, bool huge)
    {
        bool tlb = kind == CacheKind.Tlb;
        int valid = tlb ? s.TlbValid : s.IotlbValid, wr = tlb ? s.TlbWritable : s.IotlbWritable;
        int frames = (tlb ? s.TlbFrame : s.IotlbFrame) + unit * pages;
        ulong m = huge ? T.RegionsOf(1UL << p) : 1UL << p;
        w[valid + unit] |= m;
        if (writable) w[wr + unit] |= m;
        else w[wr + unit] &= ~m;
        if (huge)
        {
            w[(tlb ? s.TlbHuge : s.IotlbHuge) + unit] |= m;
            for (ulong q = m; q != 0; q &= q - 1)
            {
                int page = Lowest(q);
                i[frames + page] = HugeLeaf(hugeFrom, page, out int f, out _) && f >= 0 ? f : frame;
            }
        }
        else i[frames + p] = frame;
        recorder?.Cached(kind, unit, p);
    }

    /// <summary>A CPU access with the tree on (§3.2 with §7.2's walk).</summary>
    private void TreeCpuAccess(int c, int p, bool write)
    {
        if (p >= pages) { KernelWalk(CacheKind.Tlb, c, p - pages); return; }
        ulong bit = 1UL << p;
        int slot = s.TlbFrame + c * pages + p;
        if ((w[s.TlbValid + c] & bit) != 0)
        {
            if (!write || ((w[s.TlbWritable + c] & bit) != 0 && (!dirty || EntryDirty(s.TlbDirty + c, p, i[slot])))) // §8.2 rule 3
            {
                Access(CacheKind.Tlb, c, p, i[slot], write);
                return;
            }
            recorder?.Dropped(CacheKind.Tlb, c, bit);
            w[s.TlbValid + c] &= ~bit;
            w[s.TlbWritable + c] &= ~bit;
        }
        if (!TreeWalk(CacheKind.Tlb, c, p, write, out int frame, out bool writable, out bool huge))
        {
            if ((violations & (1u << (int)InvariantId.WalkAfterFree)) == 0) recorder?.Fault(CacheKind.Tlb, c, p, write);
            return;
        }
        FillLeaf(CacheKind.Tlb, c, p, frame, writable, huge);
        if (dirty && !huge) TreeFillDirty(s.TlbDirty + c, p, frame, write); // §8.2 rule 1
        else if (dirty) HugeFillDirty(s.TlbDirty + c, p, write); // issue 12: a tracked huge PMD's D
        Access(CacheKind.Tlb, c, p, frame, write);
    }

    /// <summary>A device action with the tree on.</summary>
    private void TreeDeviceAction(int d, StepAction action, int p)
    {
        if (p >= pages)
        {
            if (program.Arch == Arch.X86) KernelWalk(CacheKind.Iotlb, d, p - pages); // §7.6 rule 7
            i[s.FaultCount + d] = 0;
            return;
        }
        ulong bit = 1UL << p;
        int slot = s.IotlbFrame + d * pages + p;
        bool valid = (w[s.IotlbValid + d] & bit) != 0;
        bool loopFault = false;
        bool write = action == StepAction.Write;
        if (action == StepAction.Prefetch)
        {
            if (!valid && TreeWalk(CacheKind.Iotlb, d, p, false, out int f, out bool wr, out bool hg))
            {
                FillLeaf(CacheKind.Iotlb, d, p, f, wr, hg);
                if (dirty && !hg) TreeFillDirty(s.IotlbDirty + d, p, f, write: false); // §8.1: the entry caches D at fill
                else if (dirty) HugeFillDirty(s.IotlbDirty + d, p, write: false); // issue 12
            }
        }
        else if (valid && (!write || ((w[s.IotlbWritable + d] & bit) != 0 && (!dirty || EntryDirty(s.IotlbDirty + d, p, i[slot])))))
            Access(CacheKind.Iotlb, d, p, i[slot], write);
        else if (valid && write && program.Devices[d].KeepsEntryOnFault)
        {
            recorder?.Fault(CacheKind.Iotlb, d, p, write: true, keptFrame: i[slot]);
            loopFault = TreeWalk(CacheKind.Iotlb, d, p, true, out _, out _, out _);
        }
        else
        {
            if (valid)
            {
                recorder?.Dropped(CacheKind.Iotlb, d, bit);
                w[s.IotlbValid + d] &= ~bit;
                w[s.IotlbWritable + d] &= ~bit;
            }
            if (TreeWalk(CacheKind.Iotlb, d, p, write, out int f, out bool wr, out bool hg))
            {
                FillLeaf(CacheKind.Iotlb, d, p, f, wr, hg);
                if (dirty && !hg) TreeFillDirty(s.IotlbDirty + d, p, f, write); // §8.2 rule 1
                else if (dirty) HugeFillDirty(s.IotlbDirty + d, p, write); // issue 12
                Access(CacheKind.Iotlb, d, p, f, write);
            }
            else if ((violations & (1u << (int)InvariantId.WalkAfterFree)) == 0) recorder?.Fault(CacheKind.Iotlb, d, p, write);
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

    // ---- GUP-fast (§7.2) ----

    /// <summary>One step of GUP-fast walker g: g1 (IRQs off) reads the PUD; g2 entry i of that table (huge: grab);
    /// g3 P's PTE in that table (present: grab). A grab of a frame the mm does not own (and not free) is
    /// use-after-free; reading a freed table is walk-after-free. The window closes at the walk's last step.</summary>
    private void GupStep(int g, int page)
    {
        int phase = i[s.GupPhase + g];
        if (phase == 0)
        {
            int pmd = PudOf(T.GupMm[g]); // §7 mm2: the walker's mm's PUD
            recorder?.Gup(g, 1, page);
            if (pmd < 0) return;
            i[s.GupPhase + g] = 1;
            i[s.GupPage + g] = page;
            i[s.GupTable + g] = pmd;
            return;
        }
        int p = i[s.GupPage + g];
        int table = i[s.GupTable + g];
        recorder?.Gup(g, phase + 1, p);
        i[s.GupPhase + g] = 0;
        if (!TableLive(table)) { WalkAfterFree(p, table); return; }
        int r = T.RegionOf(p);
        if (phase == 1)
        {
            int entry = PmdEntryKind(table, r, out int entryTable); // §7 mm2: mm 1's copy once mm 0 unshared it
            if (entry == ModelState.PmdHuge) { if (HugeLeaf(table, p, out int f, out _)) Grab(g, p, f); return; }
            if (entry != ModelState.PmdTable) return;
            i[s.GupPhase + g] = 2;
            i[s.GupTable + g] = entryTable;
            return;
        }
        ReadPte(table, p % T.Span, out bool present, out int frame, out _);
        if (present) Grab(g, p, frame);
    }

    private void Grab(int g, int p, int frame)
    {
        if (frame < 0) return;
        int owner = i[s.FrameOwner + frame];
        if (owner == ModelState.OwnerOther || owner == ModelState.OwnerMm && !MmOwns(T.GupMm[g], frame)) // §7 mm2
            Flag(InvariantId.UseAfterFree, ViolationSite.Of(actor, p, frame));
    }
}

internal partial class Machine
{
    // ---- dispatch glue (§7) ----

    /// <summary>Runs an op with the tree on: §7 ops here; PTE ops only on regions whose entry is a table (§7.6
    /// rule 6); the §7.4 kind of flush the op performs is noted for <see cref="TreeCpuFlush"/>.</summary>
    private bool ExecuteWithTree(int t, int opIndex, in Op op)
    {
        SetTreeFlushKind(op.Code);
        if (Ordering.IsTreeOp(op.Code)) return ExecuteTree(t, opIndex, op);
        if (s.HasHugeDirty && op.Code == OpCode.LazyfreeDiscard && op.Arg >= 0 && (TablePages() >> op.Arg & 1) == 0) return true; // issue 12: a PTE op (§7.6 rule 6)
        if (IsPteOp(op.Code))
        {
            ulong tables = TablePages();
            if ((op.Pages & ~tables) != 0)
            {
                ulong keep = op.Pages & tables;
                if (op.Code == OpCode.PteMove)
                {
                    ulong dest = 0;
                    for (ulong m = keep; m != 0; m &= m - 1)
                    {
                        int d = Lowest(m) + op.Arg;
                        if (d >= 0 && d < pages && (tables >> d & 1) != 0) dest |= 1UL << Lowest(m);
                    }
                    keep = dest;
                }
                if (op.Code is OpCode.PtepClearFlush or OpCode.PtepClearFlushNotify)
                {
                    // the clear acts on table regions; the flush covers the whole range as written
                    PteClear(t, keep);
                    w[s.Cover + t] |= keep;
                    FlushTlb(t, op.Pages, op.Start, op.End, full: false);
                    if (op.Code == OpCode.PtepClearFlushNotify) InvalidateSecondaryTlbs(op.Start, op.End);
                    return true;
                }
                return ExecuteOp(t, opIndex, op.WithPages(keep));
            }
        }
        return ExecuteOp(t, opIndex, op);
    }

    private static bool IsPteOp(OpCode code) => code is OpCode.PteClear or OpCode.PteWrprotect or OpCode.PteMkwrite
        or OpCode.PteInstall or OpCode.PteRestore or OpCode.PteMove or OpCode.PtepSetAccessFlags or OpCode.PtepClearFlush
        or OpCode.PtepClearFlushNotify or OpCode.ZapPteRange or OpCode.ChangeProtection;

    /// <summary>The gather widens by a byte range (tlb_flush_pmd_range).</summary>
    private void WidenGatherBytes(int t, ulong start, ulong end)
    {
        if (start >= end) return;
        if (start < w[s.GatherStart + t]) w[s.GatherStart + t] = start;
        if (end > w[s.GatherEnd + t]) w[s.GatherEnd + t] = end;
    }

    // ---- environment choices (§7.7) ----

    private bool TreeKernelPrefetchOk(Choice choice) =>
        EnvRemaining > 0 && choice.Action == StepAction.Prefetch && choice.Page - pages < T.KernelPages
        && (actors[choice.Actor].Kind == ActorKind.Cpu || program.Arch == Arch.X86);

    private int KernelPrefetchChoices(int actorIndex, Span<Choice> buffer)
    {
        if (EnvRemaining <= 0) return 0;
        int n = 0;
        for (int k = 0; k < T.KernelPages; k++) buffer[n++] = Choice.Env(actorIndex, StepAction.Prefetch, pages + k);
        return n;
    }

    private bool GupCanStep(int g, Choice choice)
    {
        if (i[s.GupPhase + g] != 0) return choice.Action == StepAction.Step;
        return EnvRemaining > 0 && choice.Action == StepAction.Gup && choice.Page < pages;
    }

    private int GupChoices(int actorIndex, int g, Span<Choice> buffer)
    {
        if (i[s.GupPhase + g] != 0)
        {
            buffer[0] = Choice.Env(actorIndex, StepAction.Step, i[s.GupPage + g]);
            return 1;
        }
        if (EnvRemaining <= 0) return 0;
        for (int p = 0; p < pages; p++) buffer[p] = Choice.Env(actorIndex, StepAction.Gup, p);
        return pages;
    }

    /// <summary>The GUP-fast phase of walker g (0 idle, 1 after g1, 2 after g2): for traces.</summary>
    public int GupPhase(int g) => i[s.GupPhase + g];
}

internal partial class Machine
{
    /// <summary>mmu_notifier_release with the tree on: devices drop their walk entries too.</summary>
    private void ReleaseDeviceWalks()
    {
        for (int d = 0; d < s.Devices; d++)
        {
            w[s.IotlbHuge + d] = 0;
            i[s.IotlbW2 + d] = -1;
            for (int r = 0; r < T.Regions; r++) i[s.IotlbW1 + d * T.Regions + r] = -1;
            for (int j = 0; j < T.KernelRegions; j++) i[s.IotlbW1k + d * T.KernelRegions + j] = -1;
        }
    }
}
