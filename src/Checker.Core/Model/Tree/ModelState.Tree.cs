namespace Checker.Model;

/// <summary>
/// §7: the page-table tree's part of the state, laid out after everything else and only when the tree is on
/// (so an ordering without §7 lines has exactly the arrays, and the hash, it had before). PMD entry kinds:
/// <see cref="PmdNone"/>, <see cref="PmdTable"/>, <see cref="PmdHuge"/>, <see cref="PmdInvalid"/>. A linked PTE
/// table's PTEs are the flat PTE arrays of its region (the live leaf view, which every §3 invariant reads); an
/// unlinked one keeps what it held at the unlink in <see cref="DetPresent"/>/<see cref="DetWritable"/>/<see cref="DetFrame"/>.
/// </summary>
internal sealed partial class ModelState
{
    public const int PmdNone = 0;
    public const int PmdTable = 1;
    public const int PmdHuge = 2;
    public const int PmdInvalid = 3;

    // ---- W ----
    public int TlbHuge, IotlbHuge;            // + unit: leaf entries filled from a huge PMD (dropped by region)
    public int DetPresent, DetWritable;       // + slot: bit k = PTE k of an unlinked table
    public int Mm1Own = -1;                   // §7 mm2: + frame / 64: the data frames mm 1 owns (laid out only with mm2)
    public int Mm1Present = -1, Mm1Writable = -1; // §7 mm2: the leaf bits of mm 1's own PMD table (or of its copy once mm 0 unshared)

    // ---- I ----
    public int Pud;                           // the mm's PUD entry: PMD table frame, or -1
    public int PmdKind, PmdFrame;             // + region
    public int KPmdFrame;                     // + kernel region: kernel PTE table frame, or -1
    public int DetFrame;                      // + slot * H + k
    public int TlbW2, TlbW1, TlbW1k;          // + cpu; + cpu * R + r; + cpu * KR + j: table frame or -1
    public int IotlbW2, IotlbW1, IotlbW1k;    // the same per device
    public int Kept, KeptK;                   // + thread * R + r; + thread * KR + j: the table it unlinked, or -1
    public int TableBatchCount, TableBatch;   // + thread; + thread * slots + k
    public int RcuWalkers, RcuThread;         // + slot: 1 + mask of GUP walkers the free waits for (0: none pending); batching thread
    public int GupPhase, GupPage, GupTable;   // + walker: 0 idle / 1 after g1 / 2 after g2; page; the table it read
    public int PmdRef;                        // PUDs pointing at the PMD table
    public int Pud1 = -1;                     // §7 mm2: mm 1's PUD entry (PMD table frame or -1); laid out only with mm2
    public int Mm1Kind = -1, Mm1PmdFrame = -1; // §7 mm2: + region: mm 1's own PMD entries (or its copy once mm 0 unshared)
    public int Mm1Frame = -1;                 // §7 mm2: + page: the data frame of each of mm 1's own PTEs

    public TreeLayout? Tree { get; private set; }

    private int LayOutTreeMasks(TreeLayout tree, int w)
    {
        Tree = tree;
        TlbHuge = w; w += Cpus;
        IotlbHuge = w; w += Devices;
        DetPresent = w; w += tree.Slots;
        DetWritable = w; w += tree.Slots;
        if (tree.HasMm2)
        {
            Mm1Own = w; w += (MaxFrames + 63) / 64; // §7 mm2
            Mm1Present = w++;
            Mm1Writable = w++;
            w = LayOutMm2Masks(w); // §7 mm2 (issue 12): mm 1's own masks
        }
        return w;
    }

    private int LayOutTreeInts(TreeLayout tree, int i)
    {
        int r = tree.Regions, kr = tree.KernelRegions, slots = tree.Slots;
        Pud = i++;
        MmPud = Pud; // §7 mm2: the acting mm's PUD (mm 0's unless the machine selects mm 1)
        PmdRef = i++;
        PmdKind = i; i += r;
        PmdFrame = i; i += r;
        KPmdFrame = i; i += kr;
        DetFrame = i; i += slots * tree.Span;
        TlbW2 = i; i += Cpus;
        TlbW1 = i; i += Cpus * r;
        TlbW1k = i; i += Cpus * kr;
        IotlbW2 = i; i += Devices;
        IotlbW1 = i; i += Devices * r;
        IotlbW1k = i; i += Devices * kr;
        Kept = i; i += Threads * r;
        KeptK = i; i += Threads * kr;
        TableBatchCount = i; i += Threads;
        TableBatch = i; i += Threads * slots;
        RcuWalkers = i; i += slots;
        RcuThread = i; i += slots;
        GupPhase = i; i += tree.GupWalkers;
        GupPage = i; i += tree.GupWalkers;
        GupTable = i; i += tree.GupWalkers;
        if (tree.HasMm2) // §7 mm2: after everything, so an ordering without mm2 keeps its layout
        {
            Pud1 = i++;
            Mm1Kind = i; i += r;
            Mm1PmdFrame = i; i += r;
            Mm1Frame = i; i += Pages;
            i = LayOutMm2Ints(i); // §7 mm2 (issue 12): mm 1's own counters and locks
        }
        return i;
    }

    private void InitializeTree(CompiledOrdering program, TreeLayout tree)
    {
        int tb = tree.TableBase;
        for (int k = 0; k < tree.Slots; k++)
        {
            I[FrameOwner + tb + k] = OwnerOther; // not yet a table of this mm (split's fresh tables)
            I[FrameRef + tb + k] = 0;
        }
        // the PMD table and the PTE table of every region that is not huge
        I[Pud] = tb;
        I[PmdRef] = 1;
        I[FrameOwner + tb] = OwnerMm;
        I[FrameRef + tb] = 1;
        for (int r = 0; r < tree.Regions; r++)
        {
            bool huge = (tree.InitialHuge & tree.RegionMask[r]) != 0;
            I[PmdKind + r] = huge ? PmdHuge : PmdTable;
            I[PmdFrame + r] = huge ? -1 : tb + 1 + r;
            if (huge) continue;
            I[FrameOwner + tb + 1 + r] = OwnerMm;
            I[FrameRef + tb + 1 + r] = 1;
        }
        if (tree.KernelPmdSlot >= 0)
        {
            I[FrameOwner + tb + tree.KernelPmdSlot] = OwnerMm;
            I[FrameRef + tb + tree.KernelPmdSlot] = 1;
            for (int j = 0; j < tree.KernelRegions; j++)
            {
                int f = tb + tree.FirstKernelPteSlot + j;
                I[KPmdFrame + j] = f;
                I[FrameOwner + f] = OwnerMm;
                I[FrameRef + f] = 1;
            }
        }
        for (int k = 0; k < tree.Slots * tree.Span; k++) I[DetFrame + k] = -1;
        for (int k = TlbW2; k < IotlbW1k + Devices * tree.KernelRegions; k++) I[k] = -1;
        for (int k = Kept; k < KeptK + Threads * tree.KernelRegions; k++) I[k] = -1;
        I[FrameCount] = tb + tree.Slots;
        if (tree.HasMm2) InitializeMm2(program, tree); // §7 mm2 (ModelState.Mm2.cs)
    }
}
