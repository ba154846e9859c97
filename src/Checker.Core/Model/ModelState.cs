using System.Runtime.InteropServices;

namespace Checker.Model;

/// <summary>
/// The whole model state of DESIGN §3.1 in two flat arrays: <see cref="W"/> holds page masks and 64-bit
/// addresses, <see cref="I"/> everything else. The offsets are computed once per compiled ordering. A reset,
/// a snapshot, a restore or a hash is an array copy or a pass over both arrays; nothing allocates per step.
/// Page sets are bitmasks (at most 64 user pages). Frame owner codes: <see cref="OwnerMm"/>,
/// <see cref="OwnerFree"/>, <see cref="OwnerOther"/>.
/// </summary>
internal sealed partial class ModelState
{
    public const int OwnerMm = 0;
    public const int OwnerFree = 1;
    public const int OwnerOther = 2;

    // ---- W: masks and addresses ----
    public int PtePresent, PteWritable;                 // §7 mm2: the acting mm's view (ModelState.Mm2.cs)
    public readonly int TlbValid, TlbWritable;          // + cpu
    public readonly int IotlbValid, IotlbWritable;      // + device
    public readonly int SpteValid, SpteWritable;        // + shadow
    public readonly int Changed;                        // + thread: pages T has changed (cleared, downgraded, repointed)
    public readonly int Flushed;                        // + thread: pages T flushed since T last changed them
    public readonly int Cover;                          // + thread: pages its PTE-changing ops covered
    public readonly int Deferred;                       // + thread: reclaim's deferred-flush batch
    public readonly int GatherStart, GatherEnd;         // + thread
    public int ReturnedCover;                           // pages covered by threads that have returned (per mm: §7 mm2)
    public int ActiveCover;                             // pages wholly inside some active start/end (per mm: §7 mm2)

    // ---- C: contents (version numbers bumped by writes): read by snapshots and pte_install, never by an
    //      invariant, and left out of the hash so that writes do not multiply exhaustive search's states ----
    public readonly int FrameContent;                   // + frame
    public readonly int CopiedContent;                  // + thread * pages + page: content read by copy_page, or -1

    // ---- I: everything else ----
    public int PteFrame;                                // + page (the acting mm's view: §7 mm2)
    public readonly int TlbFrame;                       // + cpu * pages + page
    public readonly int IotlbFrame;                     // + device * pages + page
    public readonly int SpteFrame;                      // + shadow * pages + page
    public readonly int FrameOwner, FrameRef, FrameCopied; // + frame
    public readonly int FrameCount;                     // frames handed out so far
    public readonly int FreeHead, FreeCount, FreeQueue; // FIFO of freed frames (+ slot)
    public int MmapReaders, MmapWriter;                 // per mm (§7 mm2)
    public readonly int LockHolder;                     // + lock; -1 when free
    public int TlbFlushPending, TlbFlushBatched, ActiveInvalidations, Seq, Attached; // per mm (§7 mm2)
    public readonly int Pc;                             // + thread
    public readonly int NotifierDepth;                  // + thread
    public readonly int NotifierStack;                  // + thread * maxDepth + k: op index of the start
    public readonly int GatherActive, GatherFullmm, GatherFreedTables, GatherCleared, GatherBatchCount; // + thread
    public readonly int GatherBatch;                    // + thread * maxBatch + k
    public readonly int LastUnmapped;                   // + thread * pages + page: frame or -1
    public readonly int FaultPage, FaultCount;          // + device: secondary-fault-loop counter
    public readonly int CtxPhase, CtxPage, CtxSeq, CtxSnapFrame, CtxSnapWritable; // + fault context

    public readonly int Pages, Cpus, Devices, Shadows, Threads, MaxFrames, MaxBatch, MaxDepth, Locks, FaultContexts;

    /// <summary>The fault context of each explicit shadow thread (-1 for other threads).</summary>
    public readonly int[] ThreadContext;

    public ModelState(CompiledOrdering program)
    {
        Pages = program.Pages;
        Cpus = program.Cpus;
        CpuEnd = Cpus; // §7 mm2: the acting mm's CPUs are [CpuFirst, CpuEnd)
        MmDevices = program.Devices.Length;
        Devices = program.Devices.Length;
        Shadows = program.Shadows.Length;
        Threads = program.Threads.Length;
        MaxFrames = program.MaxFrames;
        MaxBatch = program.MaxBatch;
        Locks = program.LockNames.Length;
        int depth = 1;
        foreach (var t in program.Threads) depth = Math.Max(depth, t.MaxNotifierDepth);
        MaxDepth = depth;
        // one fault context per generated shadow, then one per explicit shadow thread
        ThreadContext = new int[Threads];
        int contexts = Shadows;
        for (int t = 0; t < Threads; t++)
            ThreadContext[t] = program.Threads[t].Kind == Language.ThreadKind.Shadow ? contexts++ : -1;
        FaultContexts = contexts;

        int w = 0;
        PtePresent = w++;
        PteWritable = w++;
        TlbValid = w; w += Cpus;
        TlbWritable = w; w += Cpus;
        IotlbValid = w; w += Devices;
        IotlbWritable = w; w += Devices;
        SpteValid = w; w += Shadows;
        SpteWritable = w; w += Shadows;
        Changed = w; w += Threads;
        Flushed = w; w += Threads;
        Cover = w; w += Threads;
        Deferred = w; w += Threads;
        GatherStart = w; w += Threads;
        GatherEnd = w; w += Threads;
        ReturnedCover = w++;
        ActiveCover = w++;
        if (program.Tree is { } treeW) w = LayOutTreeMasks(treeW, w); // §7

        int i = 0;
        PteFrame = i; i += Pages;
        TlbFrame = i; i += Cpus * Pages;
        IotlbFrame = i; i += Devices * Pages;
        SpteFrame = i; i += Shadows * Pages;
        FrameOwner = i; i += MaxFrames;
        FrameRef = i; i += MaxFrames;
        FrameCopied = i; i += MaxFrames;
        FrameCount = i++;
        FreeHead = i++;
        FreeCount = i++;
        FreeQueue = i; i += MaxFrames;
        MmapReaders = i++;
        MmapWriter = i++;
        LockHolder = i; i += Locks;
        TlbFlushPending = i++;
        TlbFlushBatched = i++;
        ActiveInvalidations = i++;
        Seq = i++;
        Attached = i++;
        Pc = i; i += Threads;
        NotifierDepth = i; i += Threads;
        NotifierStack = i; i += Threads * MaxDepth;
        GatherActive = i; i += Threads;
        GatherFullmm = i; i += Threads;
        GatherFreedTables = i; i += Threads;
        GatherCleared = i; i += Threads;
        GatherBatchCount = i; i += Threads;
        GatherBatch = i; i += Threads * MaxBatch;
        LastUnmapped = i; i += Threads * Pages;
        FaultPage = i; i += Devices;
        FaultCount = i; i += Devices;
        CtxPhase = i; i += FaultContexts;
        CtxPage = i; i += FaultContexts;
        CtxSeq = i; i += FaultContexts;
        CtxSnapFrame = i; i += FaultContexts;
        CtxSnapWritable = i; i += FaultContexts;
        if (program.Tree is { } treeI) i = LayOutTreeInts(treeI, i); // §7

        int c = 0;
        FrameContent = c; c += MaxFrames;
        CopiedContent = c; c += Threads * Pages;
        LayoutDirty(program, ref w, ref i, ref c); // §8: nothing unless the ordering uses dirty data
        LayoutHugeDirty(program, ref i); // issue 12: nothing unless a huge region is lazy-free
        W = new ulong[w];
        I = new int[i];
        C = new int[c];

        Initialize(program);
        InitializeDirty(program); // §8
    }

    /// <summary>Masks and addresses.</summary>
    public ulong[] W { get; }

    /// <summary>Frames, counters, program counters, locks.</summary>
    public int[] I { get; }

    /// <summary>Contents: not part of <see cref="Hash"/>.</summary>
    public int[] C { get; }

    /// <summary>Copies another state of the same layout into this one (contents too, unless told not to).</summary>
    public void CopyFrom(ModelState other, bool contents = true)
    {
        Array.Copy(other.W, W, W.Length);
        Array.Copy(other.I, I, I.Length);
        if (contents) Array.Copy(other.C, C, C.Length);
    }

    /// <summary>A 64-bit hash of the state that decides behaviour (everything but contents), for exhaustive
    /// search's visited set: wyhash's folded 64×64→128-bit multiply over W and I read as 64-bit words, 16
    /// bytes per multiply, two independent lanes, then an avalanche of both.</summary>
    public ulong Hash()
    {
        const ulong S0 = 0xa0761d6478bd642fUL, S1 = 0xe7037ed1a0b428dbUL, S2 = 0x8ebc6af09c88c6e3UL, S3 = 0x589965cc75374cc3UL;
        ReadOnlySpan<ulong> words = W;
        ReadOnlySpan<ulong> ints = MemoryMarshal.Cast<int, ulong>(I.AsSpan(0, I.Length & ~1));
        ulong a = S0, b = S1;
        Mix(words, ref a, ref b);
        Mix(ints, ref a, ref b);
        if ((I.Length & 1) != 0) a = Mum(a ^ (uint)I[^1], S2);
        return Mum(a ^ S3 ^ (ulong)(W.Length * 8 + I.Length * 4), b ^ S0);

        static void Mix(ReadOnlySpan<ulong> s, ref ulong a, ref ulong b)
        {
            int k = 0;
            for (; k + 4 <= s.Length; k += 4)
            {
                a = Mum(s[k] ^ S1, s[k + 1] ^ a);
                b = Mum(s[k + 2] ^ S2, s[k + 3] ^ b);
            }
            for (; k < s.Length; k++) a = Mum(s[k] ^ S3, a ^ S1);
        }

        static ulong Mum(ulong x, ulong y)
        {
            ulong high = Math.BigMul(x, y, out ulong low);
            return high ^ low;
        }
    }

    private static ulong Mix(ulong h, ulong v)
    {
        unchecked
        {
            h ^= v + 0x9E3779B97F4A7C15UL + (h << 6) + (h >> 2);
            h *= 0xFF51AFD7ED558CCDUL;
            return h ^ (h >> 33);
        }
    }

    private void Initialize(CompiledOrdering program)
    {
        Array.Fill(I, 0);
        Array.Fill(C, 0);
        W[PtePresent] = program.InitialPresent;
        W[PteWritable] = program.InitialWritable;
        for (int p = 0; p < Pages; p++)
        {
            bool mapped = (program.InitialPresent >> p & 1) != 0;
            I[PteFrame + p] = mapped ? p : -1;
            I[FrameOwner + p] = mapped ? OwnerMm : OwnerOther;
            I[FrameRef + p] = mapped ? 1 : 0;
        }
        for (int f = Pages; f < MaxFrames; f++) I[FrameOwner + f] = OwnerOther;
        I[FrameCount] = Pages;
        I[MmapWriter] = -1;
        for (int l = 0; l < Locks; l++) I[LockHolder + l] = -1;
        I[Attached] = program.HasSecondaries ? 1 : 0;
        for (int t = 0; t < Threads; t++)
        {
            W[GatherStart + t] = program.UserEnd;
            for (int p = 0; p < Pages; p++)
            {
                I[LastUnmapped + t * Pages + p] = -1;
                C[CopiedContent + t * Pages + p] = -1;
            }
        }
        for (int d = 0; d < Devices; d++) I[FaultPage + d] = -1;
        for (int c = 0; c < FaultContexts; c++) I[CtxSnapFrame + c] = -1;
        if (program.Tree is { } tree) InitializeTree(program, tree); // §7
    }
}
