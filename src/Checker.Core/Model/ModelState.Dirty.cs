namespace Checker.Model;

/// <summary>
/// §8 dirty data (DESIGN §8.1): the fields that exist only when the ordering uses a §8 header, op or condition.
/// They are appended to <see cref="ModelState.W"/> and <see cref="ModelState.I"/>, so they are copied and hashed with
/// the rest; without §8 none exists, the arrays keep today's length and the hash is today's (§8.7). Frame contents
/// compared with <c>disk</c> and <c>baseline</c> are kept as "written since" bits, which the hash sees; the
/// version numbers themselves stay in <see cref="ModelState.C"/> for reports.
/// </summary>
internal sealed partial class ModelState
{
    // ---- W (§8) ----
    public int PteDirty = -1, PteProtnone = -1;         // masks
    public int TlbDirty = -1;                           // + cpu: the D each entry cached at fill
    public int IotlbDirty = -1;                         // + device
    public int ClearedDirty = -1, ClearedWritable = -1; // + thread: D and W of the PTEs this thread last cleared
    public int Pinned = -1;                             // + thread: pages this thread pinned (get_user_pages)
    public int Delayed = -1;                            // + thread: pages whose rmap removal this thread delayed

    // ---- I (§8) ----
    public int FrameCache = -1, FramePgDirty = -1, FrameLazy = -1, FrameDiscarded = -1; // + frame
    public int FrameUnwritten = -1;       // + frame: 1 while content = disk (written back, no write since)
    public int FrameBaselineSet = -1;     // + frame: baseline set (MADV_FREE has returned)
    public int FrameAtBaseline = -1;      // + frame: 1 while content = baseline
    public int FrameLastCleaner = -1;     // + frame: the thread whose madvise_free last cleaned it, or -1
    public int ForceFlushFlag = -1;       // + thread
    public int DelayedFrame = -1;         // + thread * pages + page
    public int PinFrame = -1;             // + thread * pages + page

    // ---- C (§8, not hashed) ----
    public int FrameDisk = -1, FrameBaseline = -1; // + frame: version numbers, for reports

    /// <summary>True when the §8 fields exist.</summary>
    public bool HasDirty => PteDirty >= 0;

    private void LayoutDirty(CompiledOrdering program, ref int w, ref int i, ref int c)
    {
        if (program.Dirty is null) return;
        PteDirty = w++;
        PteProtnone = w++;
        TlbDirty = w; w += Cpus;
        IotlbDirty = w; w += Devices;
        ClearedDirty = w; w += Threads;
        ClearedWritable = w; w += Threads;
        Pinned = w; w += Threads;
        Delayed = w; w += Threads;

        FrameCache = i; i += MaxFrames;
        FramePgDirty = i; i += MaxFrames;
        FrameLazy = i; i += MaxFrames;
        FrameDiscarded = i; i += MaxFrames;
        FrameUnwritten = i; i += MaxFrames;
        FrameBaselineSet = i; i += MaxFrames;
        FrameAtBaseline = i; i += MaxFrames;
        FrameLastCleaner = i; i += MaxFrames;
        ForceFlushFlag = i; i += Threads;
        DelayedFrame = i; i += Threads * Pages;
        PinFrame = i; i += Threads * Pages;

        FrameDisk = c; c += MaxFrames;
        FrameBaseline = c; c += MaxFrames;
    }

    /// <summary>§8.1's initial state: file pages in the page cache (refcount 2, D 0, PG_dirty 0, disk = content),
    /// aliases mapping their target's frame, lazy-free pages (D 0, baseline = content); elsewhere D is 1.</summary>
    private void InitializeDirty(CompiledOrdering program)
    {
        if (program.Dirty is not { } layout) return;
        ulong present = program.InitialPresent;
        W[PteDirty] = present & ~layout.File & ~layout.Lazyfree;
        for (int f = 0; f < MaxFrames; f++)
        {
            I[FrameUnwritten + f] = 1;
            I[FrameAtBaseline + f] = 1;
            I[FrameLastCleaner + f] = -1;
        }
        for (int p = 0; p < Pages; p++)
        {
            ulong bit = 1UL << p;
            if ((layout.File & bit) != 0)
            {
                I[FrameCache + p] = 1;
                if (I[FrameOwner + p] != OwnerMm)
                {
                    // an unmapped file page is still in the page cache
                    I[FrameOwner + p] = OwnerMm;
                    I[FrameRef + p] = 0;
                }
                I[FrameRef + p]++;
            }
            if ((layout.Lazyfree & bit) != 0 && (present & bit) != 0)
            {
                I[FrameLazy + p] = 1;
                I[FrameBaselineSet + p] = 1;
            }
        }
        for (int q = 0; q < Pages; q++)
        {
            int target = layout.AliasOf[q];
            if (target < 0 || (present >> q & 1) == 0 || I[FrameOwner + target] != OwnerMm) continue;
            // page q maps target's frame; its own frame belongs to no one
            I[PteFrame + q] = target;
            if (I[FrameCache + q] == 0) { I[FrameOwner + q] = OwnerOther; I[FrameRef + q] = 0; }
            else I[FrameRef + q]--;
            I[FrameRef + target]++;
            if ((layout.File >> target & 1) != 0) W[PteDirty] &= ~(1UL << q);
        }
        for (int t = 0; t < Threads; t++)
            for (int p = 0; p < Pages; p++)
            {
                I[DelayedFrame + t * Pages + p] = -1;
                I[PinFrame + t * Pages + p] = -1;
            }
    }
}
