using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Model;

/// <summary>
/// An ordering prepared for execution (DESIGN §1 data flow): flat op arrays, the actor table, the model's
/// dimensions and its initial state. Immutable; one instance serves any number of machines and schedules.
/// </summary>
public sealed class CompiledOrdering
{
    internal CompiledOrdering(Ordering source, Op[] ops, string[] opText, int[] opLine, ThreadProgram[] threads,
        Actor[] actors, DeviceConfig[] devices, ShadowMode[] shadows, string[] lockNames, int maxFrames, int maxBatch,
        ulong initialPresent, ulong initialWritable)
    {
        Source = source;
        Ops = ops;
        OpText = opText;
        OpLine = opLine;
        Threads = threads;
        Actors = actors;
        Devices = devices;
        Shadows = shadows;
        LockNames = lockNames;
        MaxFrames = maxFrames;
        MaxBatch = maxBatch;
        InitialPresent = initialPresent;
        InitialWritable = initialWritable;
        Pages = source.Pages;
        AllPages = Pages == 64 ? ulong.MaxValue : (1UL << Pages) - 1;
        UserEnd = (ulong)Pages << Bound.PageShift;
        Cpus = source.AllCpus; // §7 mm2: mm 1's CPUs (mm2 cpus K) follow mm 0's
        Kernel = source.Kernel;
        Rules = source.Rules;
        Arch = source.Arch;
        Reuse = source.Reuse;
        ExplicitEnvironment = source.ExplicitEnvironment;
        int kernelThreads = 0;
        foreach (var t in threads) if (t.IsKernel) kernelThreads++;
        KernelThreadCount = kernelThreads;
        FirstGeneratedActor = threads.Length;
        int cpuActors = 0;
        foreach (var a in actors)
        {
            if (a.Kind == ActorKind.Cpu) cpuActors++;
            if (a.Kind == ActorKind.Gup) GupActorCount++; // §7
            if (a.Kind == ActorKind.Allocator) AllocatorActor = Array.IndexOf(actors, a);
        }
        GeneratedCpuCount = cpuActors;
        if (!Reuse || ExplicitEnvironment) AllocatorActor = -1;
    }

    /// <summary>The ordering it was compiled from.</summary>
    public Ordering Source { get; }

    /// <summary>The ordering's name.</summary>
    public string Name => Source.Name;

    /// <summary>The release as the file names it (a newer one than the table knows is modelled as the newest).</summary>
    public KernelRelease Kernel { get; }

    /// <summary>The release rules in force (DESIGN §3.7): what the machine asks instead of comparing releases.</summary>
    public RuleSet Rules { get; }

    /// <summary>The architecture.</summary>
    public Arch Arch { get; }

    /// <summary>The number of user pages.</summary>
    public int Pages { get; }

    /// <summary>The mask of all user pages.</summary>
    public ulong AllPages { get; }

    /// <summary>TASK_SIZE of the model: pages × 4096.</summary>
    public ulong UserEnd { get; }

    /// <summary>The number of CPUs (with <c>mm2 cpus K</c>, mm 0's then mm 1's K).</summary>
    public int Cpus { get; }

    /// <summary>The devices, in file order.</summary>
    public DeviceConfig[] Devices { get; }

    /// <summary>The shadow TLBs' modes, in file order.</summary>
    public ShadowMode[] Shadows { get; }

    /// <summary>Whether freed frames may be reused.</summary>
    public bool Reuse { get; }

    /// <summary>True with <c>environment explicit</c>.</summary>
    public bool ExplicitEnvironment { get; }

    /// <summary>All ops of all threads, thread after thread.</summary>
    internal Op[] Ops { get; }

    /// <summary>Each op as the language writes it, for traces and reports.</summary>
    public string[] OpText { get; }

    /// <summary>Each op's source line.</summary>
    public int[] OpLine { get; }

    internal ThreadProgram[] Threads { get; }

    /// <summary>The number of the ordering's threads that are kernel threads.</summary>
    public int KernelThreadCount { get; }

    /// <summary>Every actor: the threads, then the generated CPUs, devices, shadows and allocator.</summary>
    public Actor[] Actors { get; }

    /// <summary>Index of the first generated actor (= number of threads).</summary>
    public int FirstGeneratedActor { get; }

    /// <summary>§7: the number of generated GUP-fast actors.</summary>
    public int GupActorCount { get; }

    /// <summary>The number of generated CPU actors.</summary>
    public int GeneratedCpuCount { get; }

    /// <summary>The allocator's actor index, or -1 when there is none (explicit mode, or <c>reuse off</c>).</summary>
    public int AllocatorActor { get; } = -1;

    /// <summary>Lock names by index; index 0 is the page-table lock.</summary>
    public string[] LockNames { get; }

    /// <summary>Upper bound on frames: the initial ones plus one per page any <c>pte_install</c> can fill.</summary>
    public int MaxFrames { get; }

    /// <summary>Upper bound on frames one thread's mmu_gather batches (its zap_pte_range pages).</summary>
    public int MaxBatch { get; }

    /// <summary>The mask of pages mapped at the start.</summary>
    public ulong InitialPresent { get; }

    /// <summary>The mask of pages mapped writable at the start.</summary>
    public ulong InitialWritable { get; }

    /// <summary>True when there is a device or shadow TLB.</summary>
    public bool HasSecondaries => Devices.Length + Shadows.Length > 0;

    // §7 the page-table tree

    /// <summary>§7: the tree's layout, or null when the ordering does not turn the tree on.</summary>
    internal TreeLayout? Tree { get; init; }

    /// <summary>§7: the number of kernel pages (0 when the tree is off).</summary>
    public int KernelPages => Tree?.KernelPages ?? 0;
    /// <summary>§8 dirty data (issue 13): the file, alias and lazy-free layout, or null when the ordering uses no §8
    /// header, op or condition (then no §8 field exists in the state: DESIGN §8.7).</summary>
    internal DirtyLayout? Dirty { get; set; }

    /// <summary>Finds an actor by name; -1 when there is none.</summary>
    public int ActorIndex(string name)
    {
        for (int i = 0; i < Actors.Length; i++)
            if (Actors[i].Name == name) return i;
        return -1;
    }

    /// <summary>Compiles a validated ordering.</summary>
    public static CompiledOrdering Compile(Ordering ordering) => OrderingCompiler.Compile(ordering);
}
