using Checker.Vocabulary;

namespace Checker.Language;

/// <summary>§7: the diagnostics of the page-table tree's headers and ops (DESIGN §8.6, the lines that concern §7).</summary>
internal sealed partial class OrderingValidator
{
    private void CheckTreeHeaders()
    {
        int span = ordering.HugePageSpan;
        foreach (var header in ordering.Headers)
        {
            switch (header)
            {
                case HeaderLine.HugePage h when pages % h.Span != 0 || pages / h.Span > 8:
                    Error(h.Pos, pages % h.Span != 0 ? $"hugepage {h.Span} does not divide pages {pages}" : $"hugepage {h.Span} gives {pages / h.Span} regions (at most 8)",
                        "choose H so that 'pages' is a multiple of it and pages/H is at most 8");
                    break;
                case HeaderLine.Huge h:
                    CheckRange(h.Range, "huge");
                    if (span > 0 && (h.Range.Start >> Bound.PageShift) % (ulong)span != 0
                        || span > 0 && h.Range.End > h.Range.Start && (h.Range.End >> Bound.PageShift) % (ulong)span != 0
                        || h.Range.First.Kind != BoundKind.Page)
                        Error(h.Pos, $"huge {h.Range} is not aligned to the regions of {span} pages",
                            "huge covers whole regions: both bounds are multiples of the hugepage span");
                    break;
                case HeaderLine.KernelPages k when span > 0 && k.Count % span != 0:
                    Error(k.Pos, $"kernel_pages {k.Count} is not a multiple of the hugepage span {span}",
                        "kernel PTE tables span H pages like user ones: write a multiple of H, or set 'hugepage'");
                    break;
                case HeaderLine.Mm2 m when ordering.AllCpus > Limits.MaxCpus: // §7 mm2 (issue 12)
                    Error(m.Pos, $"cpus {ordering.Cpus} and mm2 cpus {m.CpuCount} make {ordering.AllCpus} CPUs (at most {Limits.MaxCpus})",
                        $"lower 'cpus' or the K of 'mm2 cpus K' so that they add up to at most {Limits.MaxCpus}");
                    break;
                case HeaderLine.Mm2 m when (!m.SharedPmd || m.CpuCount > 0) && ordering.UsesDirtyData:
                    Error(m.Pos, $"'{OrderingPrinter.HeaderText(m)}' together with dirty data (file, alias, lazyfree, a dirty-data op or condition) is not modelled by this checker",
                        "drop the dirty-data lines, or write 'mm2 shared-pmd' (mm 1 shares mm 0's PMD table and its dirty bits)");
                    break;
                case HeaderLine.GupFast g when g.Mm != 0 && ordering.Mm2 is null:
                    Error(g.Pos, "gup_fast mm 1 needs a second mm", "add 'mm2' (or 'mm2 shared-pmd') to the header, or write 'gup_fast' (a walker of mm 0)");
                    break;
            }
        }
        CheckMm2Threads();
    }

    /// <summary>§7: what a thread of mm 1 may do: every op (issue 12), but with §8 dirty data only the sharing ops,
    /// locks and the sync (the dirty bits are modelled for mm 0's tables only); huge_pmd_share only there (mm 1's PUD
    /// points at mm 0's table), huge_pmd_unshare by either mm.</summary>
    private void CheckMm2Threads()
    {
        foreach (var thread in ordering.Threads)
        {
            if (thread.Mm != 0 && ordering.Mm2 is null)
                Error(thread.Pos, $"thread {thread.Name} runs on mm 1, which needs a second mm", "add 'mm2' (or 'mm2 shared-pmd') to the header");
            bool dirtyData = thread.Mm != 0 && ordering.UsesDirtyData;
            foreach (var op in thread.Ops)
            {
                bool sharing = op.Code is OpCode.HugePmdShare or OpCode.HugePmdUnshare;
                if (thread.Mm == 0 && op.Code == OpCode.HugePmdShare)
                    Error(op.NamePos, $"{op.Info.Name} on mm 0 is not modelled by this checker yet",
                        "run it in a thread of mm 1 ('thread NAME mm 1'): mm 1's PUD points at mm 0's PMD table");
                else if (dirtyData && !sharing && op.Code is not (OpCode.TlbRemoveTableSyncOne or OpCode.Lock or OpCode.Unlock))
                    Error(op.NamePos, $"{op.Info.Name} in a thread of mm 1 of an ordering with dirty data is not modelled by this checker",
                        "with dirty-data lines (file, alias, lazyfree, a dirty-data op) a thread of mm 1 may run huge_pmd_share, huge_pmd_unshare, tlb_remove_table_sync_one, lock and unlock; drop those lines to run other ops on mm 1");
            }
        }
    }

    /// <summary>§7 (issue 12): <c>thread NAME gup K</c> needs a K-th <c>gup_fast</c> line (DESIGN §8.6).</summary>
    private void CheckGupThread(ThreadBlock thread)
    {
        int lines = ordering.GupWalkers.Count;
        if (thread.Index < lines) return;
        Error(thread.Pos, $"thread '{thread.Name}' is GUP-fast walker {thread.Index}, but the ordering has {lines} 'gup_fast' line{(lines == 1 ? "" : "s")}",
            lines == 0 ? "add 'gup_fast' (or 'gup_fast mm 1') to the header: the K-th line gives the walker's mm" : $"use {Indices("gup", lines)} (counted over the 'gup_fast' lines)");
    }

    /// <summary>§7 (issue 12): an explicit GUP-fast thread runs only <c>gup_fast P</c>, and only it does; true when
    /// the op was refused here.</summary>
    private bool CheckGupRole(ThreadBlock thread, OpLine op)
    {
        if (thread.Kind == ThreadKind.Gup && op.Code != OpCode.GupFast)
        {
            Error(op.NamePos, $"{op.Info.Name} cannot run in GUP-fast thread '{thread.Name}'",
                "a 'thread NAME gup K' runs only 'gup_fast P' lines (each is the walk g1, g2, g3)");
            return true;
        }
        if (thread.Kind != ThreadKind.Gup && op.Code == OpCode.GupFast)
        {
            Error(op.NamePos, $"gup_fast is a GUP-fast walker's op and cannot run in thread '{thread.Name}'",
                "put it in a 'thread NAME gup K' (K: the K-th 'gup_fast' line of the header)");
            return true;
        }
        return false;
    }

    private static bool IsKernelBound(Bound b) => b.Kind == BoundKind.Kernel;

    private static bool HasKernelBound(RangeArg r) => IsKernelBound(r.First) || r.Second is { } second && IsKernelBound(second);

    private bool IsKernelPrefetch(OpLine op) => op.Range is { } r && IsKernelBound(r.First);

    /// <summary>A user op or header given a kernel page: an error (true when reported).</summary>
    private bool RejectKernelBound(RangeArg range, string op)
    {
        if (!HasKernelBound(range)) return false;
        Error(range.Pos, $"{op} takes user pages, not the kernel page in '{range}'",
            "kernel pages kP go to pmd_clear, pte_free, pmd_free_pte_page, flush_tlb_kernel_range, __flush_tlb_kernel_pgtable and prefetch");
        return true;
    }

    /// <summary>An environment op on a kernel page: only prefetch, only below kernel_pages (true when it was a kernel page).</summary>
    private bool CheckKernelEnvPage(RangeArg range, string op)
    {
        if (!IsKernelBound(range.First)) return false;
        if (op != "prefetch")
            Error(range.Pos, $"{op} of kernel page {range.First}: kernel pages are only walked, never accessed",
                "write 'prefetch kP' (a speculative walk)");
        else CheckKernelPage(range.First, op);
        return true;
    }

    private void CheckKernelPage(Bound b, string op)
    {
        if (b.Value >= (ulong)ordering.KernelPageCount)
            Error(b.Pos, $"kernel page {b} of {op} is outside the kernel pages (kernel_pages {ordering.KernelPageCount})",
                ordering.KernelPageCount == 0 ? "add 'kernel_pages N' to the header" : $"use k0 to k{ordering.KernelPageCount - 1}, or raise kernel_pages");
    }

    private void CheckTreeOp(OpLine op)
    {
        var info = op.Info;
        if (op.Code == OpCode.FlushTlbKernelPgtable && ordering.Arch == Arch.X86)
            Error(op.NamePos, "__flush_tlb_kernel_pgtable is arm64's (arch/arm64/include/asm/tlbflush.h)",
                "under 'arch x86' write flush_tlb_kernel_range");
        if (op.Range is not { } range) return;
        switch (op.Code)
        {
            case OpCode.PmdClear:
            case OpCode.PteFree:
                if (IsKernelBound(range.First)) CheckKernelPage(range.First, info.Name);
                else CheckRange(range, info.Name);
                break;
            case OpCode.PmdFreePtePage:
            case OpCode.FlushTlbKernelPgtable:
                if (!IsKernelBound(range.First))
                    Error(range.Pos, $"{info.Name} takes a kernel page kP, not '{range}'", $"write e.g. '{info.Name} k0'");
                else CheckKernelPage(range.First, info.Name);
                break;
            case OpCode.FlushTlbKernelRange:
                if (!IsKernelBound(range.First) || range.Second is { } end && !IsKernelBound(end))
                    Error(range.Pos, $"flush_tlb_kernel_range takes kernel pages, not '{range}'", "write e.g. 'flush_tlb_kernel_range k0 k2' (a range mixes no user and kernel bounds)");
                else
                {
                    CheckKernelPage(range.First, info.Name);
                    if (range.Second is { } e && e.Value > (ulong)ordering.KernelPageCount)
                        Error(e.Pos, $"range end {e} of flush_tlb_kernel_range is beyond the kernel pages (kernel_pages {ordering.KernelPageCount})", "kernel bounds go up to k" + ordering.KernelPageCount);
                }
                break;
            case OpCode.MovePgtEntry:
                CheckRange(range, info.Name);
                if (op.Destination is { } d && (d.Kind != BoundKind.Page || d.Value >= (ulong)pages))
                    Error(d.Pos, $"move_pgt_entry destination {d} is not a user page below {pages}", "name any page of the destination region");
                break;
            default:
                CheckRange(range, info.Name);
                break;
        }
    }
}
