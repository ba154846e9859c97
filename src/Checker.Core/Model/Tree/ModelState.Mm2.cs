namespace Checker.Model;

/// <summary>
/// §7 <c>mm2</c> (issue 12): mm 1's own part of the state and the <em>view</em> the machine acts through. Everything
/// of an mm — its PTEs, its PMD entries, mmap lock, tlb_flush_pending, tlb_flush_batched, notifier sequence,
/// attached secondaries, coverage, its CPUs — is reached through offsets (<see cref="PtePresent"/>,
/// <see cref="PmdKind"/>, <see cref="MmapWriter"/>, <see cref="CpuFirst"/>…) that <see cref="SelectMm"/> points at
/// mm 0's or mm 1's fields; the machine selects the acting actor's mm at the start of a step and mm 0 again at its
/// end, so code written for one mm acts on the right one and every reader outside a step sees mm 0, as before.
/// PTE and PMD contents belong to a PMD table, not to an mm: <em>set</em> 0 is the content of mm 0's PMD table
/// (frame <see cref="TreeLayout.TableBase"/>), set 1 that of mm 1's own table (or, under <c>shared-pmd</c>, mm 1's
/// copy once mm 0 unshared); mm 1 views set 0 while it shares mm 0's table. Laid out only with <c>mm2</c>, after
/// everything else: an ordering without it keeps its arrays and hash.
/// </summary>
internal sealed partial class ModelState
{
    // ---- mm 1's fields (laid out only with mm2) ----
    public int Mm0Not = -1;                    // W + frame / 64: data frames mm 0 does not own (mm 1's alone)
    public int Mm1ReturnedCover = -1, Mm1ActiveCover = -1; // W
    public int Mm1Copied = -1;                 // I: 1 once mm 0 unshared the shared PMD table (set 1 = mm 1's copy)
    public int PmdRef1 = -1;                   // I: PUDs pointing at mm 1's own PMD table
    public int Mm1Readers = -1, Mm1Writer = -1, Mm1FlushPending = -1, Mm1FlushBatched = -1;
    public int Mm1ActiveInvalidations = -1, Mm1Seq = -1, Mm1Attached = -1;

    // ---- the view (offsets, not state) ----

    /// <summary>The offset of the acting mm's PUD entry (<see cref="Pud"/> or <see cref="Pud1"/>).</summary>
    public int MmPud;

    /// <summary>The acting mm's CPUs: [CpuFirst, CpuEnd).</summary>
    public int CpuFirst, CpuEnd;

    /// <summary>The devices the acting mm's CPU flushes may reach (smmu-btm): all of them for mm 0, none for mm 1
    /// (devices are attached to mm 0: DESIGN §7.2).</summary>
    public int MmDevices;

    /// <summary>The mm <see cref="SelectMm"/> last selected (0 outside a step).</summary>
    public int SelectedMm { get; private set; }

    private int mm0Present, mm0Writable, mm0Frame, mm0Kind, mm0PmdFrame;
    private int mm0Returned, mm0Active, mm0Readers, mm0Writer, mm0Pending, mm0Batched, mm0Invalidations, mm0Seq, mm0Attached;

    /// <summary>The offsets of PTE/PMD content set k: present, writable, frame (+ page), kind and table (+ region).</summary>
    public int SetPresent(int set) => set == 0 ? mm0Present : Mm1Present;

    /// <inheritdoc cref="SetPresent"/>
    public int SetWritable(int set) => set == 0 ? mm0Writable : Mm1Writable;

    /// <inheritdoc cref="SetPresent"/>
    public int SetFrame(int set) => set == 0 ? mm0Frame : Mm1Frame;

    /// <inheritdoc cref="SetPresent"/>
    public int SetKind(int set) => set == 0 ? mm0Kind : Mm1Kind;

    /// <inheritdoc cref="SetPresent"/>
    public int SetPmdFrame(int set) => set == 0 ? mm0PmdFrame : Mm1PmdFrame;

    /// <summary>The content set mm 1 views: that of the PMD table its PUD points at (set 1 when it points nowhere).</summary>
    public int Mm1ViewSet()
    {
        int pud1 = I[Pud1];
        return pud1 < 0 ? 1 : pud1 == Tree!.TableBase ? I[Mm1Copied] : 1;
    }

    /// <summary>Points the view at mm <paramref name="mm"/>'s fields and at PTE/PMD content set <paramref name="set"/>.</summary>
    public void SelectMm(int mm, int set)
    {
        SelectedMm = mm;
        PtePresent = SetPresent(set);
        PteWritable = SetWritable(set);
        PteFrame = SetFrame(set);
        PmdKind = SetKind(set);
        PmdFrame = SetPmdFrame(set);
        if (mm == 0)
        {
            ReturnedCover = mm0Returned; ActiveCover = mm0Active;
            MmapReaders = mm0Readers; MmapWriter = mm0Writer;
            TlbFlushPending = mm0Pending; TlbFlushBatched = mm0Batched;
            ActiveInvalidations = mm0Invalidations; Seq = mm0Seq; Attached = mm0Attached;
            MmPud = Pud;
            CpuFirst = 0;
            CpuEnd = Tree!.Mm0Cpus;
            MmDevices = Devices;
            return;
        }
        ReturnedCover = Mm1ReturnedCover; ActiveCover = Mm1ActiveCover;
        MmapReaders = Mm1Readers; MmapWriter = Mm1Writer;
        TlbFlushPending = Mm1FlushPending; TlbFlushBatched = Mm1FlushBatched;
        ActiveInvalidations = Mm1ActiveInvalidations; Seq = Mm1Seq; Attached = Mm1Attached;
        MmPud = Pud1;
        CpuFirst = Tree!.Mm0Cpus;
        CpuEnd = Cpus;
        MmDevices = 0;
    }

    private int LayOutMm2Masks(int w)
    {
        Mm0Not = w; w += (MaxFrames + 63) / 64;
        Mm1ReturnedCover = w++;
        Mm1ActiveCover = w++;
        return w;
    }

    private int LayOutMm2Ints(int i)
    {
        Mm1Copied = i++;
        PmdRef1 = i++;
        Mm1Readers = i++;
        Mm1Writer = i++;
        Mm1FlushPending = i++;
        Mm1FlushBatched = i++;
        Mm1ActiveInvalidations = i++;
        Mm1Seq = i++;
        Mm1Attached = i++;
        return i;
    }

    /// <summary>mm 1 at the start: under <c>shared-pmd</c> its PUD points at mm 0's PMD table (hugetlb sharing,
    /// refcount 2, the same frames, owned by both); else its own PMD table, PTE tables and data frames, laid out as
    /// mm 0's (same present, writable and huge regions).</summary>
    private void InitializeMm2(CompiledOrdering program, TreeLayout tree)
    {
        mm0Present = PtePresent; mm0Writable = PteWritable; mm0Frame = PteFrame; mm0Kind = PmdKind; mm0PmdFrame = PmdFrame;
        mm0Returned = ReturnedCover; mm0Active = ActiveCover; mm0Readers = MmapReaders; mm0Writer = MmapWriter;
        mm0Pending = TlbFlushPending; mm0Batched = TlbFlushBatched; mm0Invalidations = ActiveInvalidations; mm0Seq = Seq;
        mm0Attached = Attached;
        int tb = tree.TableBase;
        I[Mm1Writer] = -1;
        for (int r = 0; r < tree.Regions; r++) I[Mm1PmdFrame + r] = -1; // kind 0: none
        for (int p = 0; p < Pages; p++) I[Mm1Frame + p] = -1;
        if (!tree.Mm2Own)
        {
            I[Pud1] = tb;
            I[PmdRef] = 2;
            for (int f = 0; f < Pages; f++) W[Mm1Own + (f >> 6)] |= 1UL << (f & 63);
        }
        else
        {
            int pmd = tb + tree.Mm1PmdSlot;
            I[Pud1] = pmd;
            I[PmdRef1] = 1;
            I[FrameOwner + pmd] = OwnerMm;
            I[FrameRef + pmd] = 1;
            for (int r = 0; r < tree.Regions; r++)
            {
                bool huge = (tree.InitialHuge & tree.RegionMask[r]) != 0;
                I[Mm1Kind + r] = huge ? PmdHuge : PmdTable;
                if (huge) continue;
                int table = tb + tree.Mm1FirstPteSlot + r;
                I[Mm1PmdFrame + r] = table;
                I[FrameOwner + table] = OwnerMm;
                I[FrameRef + table] = 1;
            }
            W[Mm1Present] = program.InitialPresent;
            W[Mm1Writable] = program.InitialWritable;
            for (int p = 0; p < Pages; p++)
            {
                int f = tree.Mm1DataBase + p;
                bool mapped = (program.InitialPresent >> p & 1) != 0;
                I[Mm1Frame + p] = mapped ? f : -1;
                I[FrameOwner + f] = mapped ? OwnerMm : OwnerOther;
                I[FrameRef + f] = mapped ? 1 : 0;
                W[Mm1Own + (f >> 6)] |= 1UL << (f & 63);
                W[Mm0Not + (f >> 6)] |= 1UL << (f & 63);
            }
            I[FrameCount] = tree.Mm1DataBase + Pages;
        }
        SelectMm(0, 0);
    }
}
