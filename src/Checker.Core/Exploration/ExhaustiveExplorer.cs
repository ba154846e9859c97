using System.Buffers.Binary;
using System.Numerics;
using Checker.Exploration.Symmetry;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>
/// Breadth-first (level-synchronous) search over every interleaving with at most K generated environment actions in
/// total, with visited-state hashing (a state is expanded again only when reached with more budget left), on one or
/// more worker threads whose number changes nothing but the speed (issue 14). Level d's frontier is cut into fixed
/// blocks of <see cref="BlockEntries"/> entries; workers take blocks in any order and expand them — regenerate the
/// entry's state from its parent (restore + one step), step every enabled choice, hash each child — into the block's
/// own buffers. Then one thread merges the blocks in their order: it files each child in the visited table in the
/// global order (entry, choice), appends the new ones (and those reached with more budget) to the next frontier, and
/// offers each violation to <see cref="Found"/> in that same order. So the states visited, the frontier, the
/// counterexamples and where the state limit cuts the search all depend on that order alone, never on the number of
/// workers or their timing; one job runs the same algorithm on one thread.
/// Keeps, for each invariant, the violating path with the fewest environment actions, then the fewest steps, then
/// the first in the global order: because pruning only skips a state already filed with at least as much budget, that
/// is the true minimum within the bound. "Complete" means the search ran out of states to explore, not out of its
/// state limit.
/// </summary>
internal sealed class ExhaustiveExplorer
{
    /// <summary>Frontier entries per block: the unit of work a worker takes and of the merge order.</summary>
    private const int BlockEntries = 32;

    /// <summary>Blocks per batch: the merge runs after each batch. Fixed, so that where the state limit cuts the
    /// search does not depend on the number of jobs.</summary>
    private const int BatchBlocks = 256;

    private const long ReportEvery = 16_384;

    private readonly CompiledOrdering program;
    private readonly int jobs;
    private readonly int words, ints;
    private readonly Worker[] workers;
    private readonly Block[] blocks = new Block[BatchBlocks];
    private readonly bool[] generated;
    private VisitedSet[] visited = [];
    private long states;

    // back-pointers of every level (for paths), and the flat states of the level being expanded and its parent level
    private readonly List<Level> levels = [];
    private StateStore parentStates, currentStates;
    private ulong[] rootWords = [];
    private int[] rootInts = [];

    // the batch being expanded
    private int depth, bound, batchStart, batchEnd, batchBlocks, nextBlock;
    private volatile bool stop;
    private volatile int phase;
    private Exception? failure;

    /// <summary>A search of <paramref name="program"/> on <paramref name="jobs"/> threads; with
    /// <paramref name="symmetry"/> (the default) states that differ only by a permutation of interchangeable pages,
    /// CPUs, devices or shadows count as one (issue 14).</summary>
    public ExhaustiveExplorer(CompiledOrdering program, bool symmetry = true, int jobs = 1)
    {
        this.program = program;
        this.jobs = Math.Max(1, jobs);
        Symmetry = SymmetryPlan.For(program, symmetry);
        var probe = new ModelState(program);
        words = probe.W.Length;
        ints = probe.I.Length;
        if (words > ushort.MaxValue || ints > ushort.MaxValue)
            throw new InvalidOperationException($"a state of {words} + {ints} words is too big for the search's frontier (at most 65,535 each)");
        parentStates = new StateStore();
        currentStates = new StateStore();
        generated = new bool[program.Actors.Length];
        for (int a = 0; a < generated.Length; a++) generated[a] = program.Actors[a].IsGenerated;
        workers = new Worker[this.jobs];
        for (int j = 0; j < workers.Length; j++) workers[j] = new Worker(program, Symmetry);
        for (int b = 0; b < blocks.Length; b++) blocks[b] = new Block();
    }

    /// <summary>What the search treats as interchangeable.</summary>
    public SymmetryPlan Symmetry { get; }

    /// <summary>Distinct states visited (the visited table's size).</summary>
    public long States => states;

    /// <summary>States expanded: distinct states, plus those expanded again because they were reached later
    /// with more environment budget left.</summary>
    public long Expansions { get; private set; }

    /// <summary>Transitions (steps) from an expanded state to a child, not counting the step that regenerates a
    /// frontier state from its parent.</summary>
    public long Transitions { get; private set; }

    public bool Complete { get; private set; }

    /// <summary>Best violating path per invariant (index = <see cref="Vocabulary.InvariantId"/>), or null.</summary>
    public Choice[]?[] Found { get; } = new Choice[Invariant.Count][];

    /// <summary>Environment actions of each best path.</summary>
    public int[] FoundEnvironmentActions { get; } = new int[Invariant.Count];

    /// <summary>Explores every interleaving with at most <paramref name="bound"/> environment actions, up to
    /// <paramref name="stateLimit"/> distinct states. <paramref name="progress"/> hears the state count about every
    /// 16,384 expansions. (The search is not split between <c>--shard</c>s: see <see cref="Explorer"/>.)</summary>
    public void Run(int bound, long stateLimit, CancellationToken cancel,
        IExplorationProgress? progress = null)
    {
        this.bound = bound;
        visited = new VisitedSet[jobs];
        for (int j = 0; j < jobs; j++) visited[j] = new VisitedSet();
        levels.Clear();
        Array.Clear(Found);
        Expansions = 0;
        Transitions = 0;
        Complete = false;
        stop = false;
        failure = null;

        var root = workers[0].Machine;
        root.Reset(bound);
        rootWords = (ulong[])root.State.W.Clone();
        rootInts = (int[])root.State.I.Clone();
        ulong rootHash = workers[0].HashOf(root.State);
        visited[ShardOf(rootHash)].TryVisit(rootHash, bound);
        states = 1;
        var first = new Level();
        first.Add(-1, default, bound, 0);
        levels.Add(first);

        var threads = StartWorkers();
        try
        {
            Search(stateLimit, cancel, progress);
        }
        finally
        {
            stop = true;
            if (threads is not null)
            {
                barrier!.SignalAndWait();
                foreach (var t in threads) t.Join();
                barrier.Dispose();
                barrier = null;
            }
        }
    }

    private void Search(long stateLimit, CancellationToken cancel, IExplorationProgress? progress)
    {
        long report = ReportEvery;
        for (depth = 0; ; depth++)
        {
            var level = levels[depth];
            if (level.Count == 0) break;
            var next = new Level();
            levels.Add(next);
            (parentStates, currentStates) = (currentStates, parentStates);
            currentStates.Clear(level.Count);
            for (batchStart = 0; batchStart < level.Count; batchStart = batchEnd)
            {
                batchEnd = (int)Math.Min(level.Count, (long)batchStart + BatchBlocks * BlockEntries);
                batchBlocks = (batchEnd - batchStart + BlockEntries - 1) / BlockEntries;
                nextBlock = 0;
                if (batchBlocks == 1 || barrier is null)
                {
                    Expand(workers[0]);
                    for (int j = 0; j < jobs; j++) File(workers[0], j);
                }
                else
                {
                    phase = 0;
                    barrier.SignalAndWait(); // go
                    Expand(workers[0]);
                    barrier.SignalAndWait(); // all blocks expanded
                    phase = 1;
                    barrier.SignalAndWait(); // go
                    File(workers[0], 0);
                    barrier.SignalAndWait(); // all children filed
                }
                if (failure is { } e) throw new InvalidOperationException("an exhaustive-search worker failed", e);
                Expansions += batchEnd - batchStart;
                if (!Merge(level, next, stateLimit)) return;
                if (cancel.IsCancellationRequested) return;
                if (Expansions >= report)
                {
                    report = Expansions + ReportEvery;
                    progress?.Searched(States);
                }
            }
            if (depth > 0) levels[depth - 1].DropBudgets();
        }
        Complete = true;
    }

    private Barrier? barrier;

    private Thread[]? StartWorkers()
    {
        if (jobs == 1) return null;
        barrier = new Barrier(jobs);
        var threads = new Thread[jobs - 1];
        for (int j = 1; j < jobs; j++)
        {
            var worker = workers[j];
            int job = j;
            threads[j - 1] = new Thread(() =>
            {
                while (true)
                {
                    barrier.SignalAndWait();
                    if (stop) return;
                    if (phase == 0) Expand(worker);
                    else File(worker, job);
                    barrier.SignalAndWait();
                }
            }) { IsBackground = true, Name = "checker-search-" + j };
            threads[j - 1].Start();
        }
        return threads;
    }

    /// <summary>Takes blocks of the batch until none is left and expands them.</summary>
    private void Expand(Worker worker)
    {
        try
        {
            var level = levels[depth];
            var parent = depth > 0 ? levels[depth - 1] : null;
            while (true)
            {
                int b = Interlocked.Increment(ref nextBlock) - 1;
                if (b >= batchBlocks) return;
                var block = blocks[b];
                block.Clear();
                int start = batchStart + b * BlockEntries, end = Math.Min(batchEnd, start + BlockEntries);
                for (int e = start; e < end; e++) worker.Expand(this, block, level, parent, e);
            }
        }
        catch (Exception e)
        {
            failure ??= e;
            nextBlock = int.MaxValue / 2; // the others stop taking blocks
        }
    }

    /// <summary>Which visited table (one per job) files a hash: the table's contents, and so every answer it gives,
    /// do not depend on how the hashes are split between tables.</summary>
    private int ShardOf(ulong hash) => (int)(((hash >> 32) * (ulong)jobs) >> 32);

    /// <summary>Files, in the batch's order, the children whose hash belongs to table <paramref name="shard"/>:
    /// each child's outcome is <see cref="Block.Old"/>, <see cref="Block.New"/> or <see cref="Block.Richer"/>
    /// (seen before, with less budget).</summary>
    private void File(Worker worker, int shard)
    {
        try
        {
            var table = visited[shard];
            var mine = worker.Mine;
            for (int b = 0; b < batchBlocks; b++)
            {
                var block = blocks[b];
                int n = block.ChildCount;
                var hashes = block.Hash;
                if (mine.Length < n) mine = worker.Mine = new int[Math.Max(n, mine.Length * 2)];
                int m = 0;
                for (int k = 0; k < n; k++)
                    if (ShardOf(hashes[k]) == shard) mine[m++] = k;
                for (int k = 0; k < Math.Min(m, 8); k++) table.Prefetch(hashes[mine[k]]);
                for (int x = 0; x < m; x++)
                {
                    if (x + 8 < m) table.Prefetch(hashes[mine[x + 8]]);
                    int k = mine[x];
                    long before = table.Count;
                    block.Outcome[k] = !table.TryVisit(hashes[k], block.Env[k]) ? Block.Old
                        : table.Count > before ? Block.New : Block.Richer;
                }
            }
        }
        catch (Exception e)
        {
            failure ??= e;
        }
    }

    /// <summary>Goes through the batch's blocks in order: keeps their states, offers their violations, appends the
    /// children filed as new or richer to the next frontier, and counts the new states; false when the state limit
    /// cut the search (at the same child whatever the number of jobs).</summary>
    private bool Merge(Level level, Level next, long stateLimit)
    {
        for (int b = 0; b < batchBlocks; b++)
        {
            var block = blocks[b];
            Transitions += block.Transitions;
            int first = batchStart + b * BlockEntries;
            currentStates.Adopt(block, first, Math.Min(batchEnd, first + BlockEntries));
            for (int v = 0; v < block.ViolationCount; v++)
                Record(level, block.ViolationEntry[v], block.ViolationChoice[v], block.ViolationMask[v]);
            int n = block.ChildCount;
            for (int k = 0; k < n; k++)
            {
                byte outcome = block.Outcome[k];
                if (outcome == Block.Old) continue;
                int entry = block.Entry[k];
                var choice = block.Choice[k];
                next.Add(entry, choice, block.Env[k], level.Actions![entry] + (IsEnvironmentAction(choice) ? 1 : 0));
                if (outcome == Block.New && ++states >= stateLimit) return false;
            }
        }
        return true;
    }

    private bool IsEnvironmentAction(Choice c) => generated[c.Actor] && c.Action != StepAction.Step;

    private void Record(Level level, int entry, Choice last, uint violated)
    {
        int environmentActions = level.Actions![entry] + (IsEnvironmentAction(last) ? 1 : 0);
        int id = BitOperations.TrailingZeroCount(violated);
        int length = depth + 1;
        var best = Found[id];
        if (best is not null && FoundEnvironmentActions[id] <= environmentActions
            && (FoundEnvironmentActions[id] < environmentActions || best.Length <= length)) return;
        var steps = new Choice[length];
        steps[depth] = last;
        for (int d = depth; d > 0; d--)
        {
            steps[d - 1] = levels[d].Choice[entry];
            entry = levels[d].Parent[entry];
        }
        Found[id] = steps;
        FoundEnvironmentActions[id] = environmentActions;
    }

    /// <summary>One thread's machine and scratch.</summary>
    private sealed class Worker
    {
        private readonly StateCanonicalizer? canonical;
        private readonly SiblingFilter? siblings;
        private readonly Choice[] choices;
        private readonly ulong[] words;
        private readonly int[] ints;

        public Worker(CompiledOrdering program, SymmetryPlan symmetry)
        {
            Machine = new Machine(program);
            words = new ulong[Machine.State.W.Length];
            ints = new int[Machine.State.I.Length];
            choices = new Choice[Math.Max(1, Machine.MaxChoices)];
            if (symmetry.Reduces)
            {
                canonical = new StateCanonicalizer(program, symmetry);
                siblings = new SiblingFilter(program, symmetry);
            }
        }

        public Machine Machine { get; }

        /// <summary>Scratch of <see cref="File"/>: the block's children this job files.</summary>
        public int[] Mine = new int[64];

        public ulong HashOf(ModelState state) => canonical is null ? state.Hash() : canonical.Hash(state);

        /// <summary>Regenerates frontier entry <paramref name="e"/> of <paramref name="level"/> (the root, or its
        /// parent's state stepped by its choice), stores it flat, and steps every enabled choice into
        /// <paramref name="block"/>: a violation, or a child's hash and budget.</summary>
        public void Expand(ExhaustiveExplorer search, Block block, Level level, Level? parentLevel, int e)
        {
            var m = Machine;
            int depth = search.depth;
            if (parentLevel is null) m.Reset(search.bound);
            else
            {
                int p = level.Parent[e];
                StateStore.Decode(search.parentStates.Of(p), search.rootWords, search.rootInts, words, ints);
                m.Restore(words, ints, parentLevel.Env![p], depth - 1);
                m.Step(level.Choice[e]);
            }
            m.State.W.CopyTo(words, 0);
            m.State.I.CopyTo(ints, 0);
            search.currentStates.Put(e, block.AddState(words, search.rootWords, ints, search.rootInts));
            int env = m.EnvRemaining;
            int count = m.EnabledChoices(choices, skipInert: true);
            if (siblings is not null) count = siblings.Filter(m.State, choices, count);
            block.Reserve(count);
            for (int c = 0; c < count; c++)
            {
                if (c > 0) m.Restore(words, ints, env, depth);
                var choice = choices[c];
                uint violated = m.Step(choice);
                block.Transitions++;
                if (violated != 0) block.AddViolation(e, choice, violated);
                else block.AddChild(HashOf(m.State), e, choice, m.EnvRemaining);
            }
        }
    }

    /// <summary>What expanding one block produced, in the block's order (entry, then choice).</summary>
    private sealed class Block
    {
        public ulong[] Hash = new ulong[64];
        public int[] Entry = new int[64];
        public Choice[] Choice = new Choice[64];
        public int[] Env = new int[64];
        public byte[] Outcome = new byte[64];
        public int ChildCount;
        public const byte Old = 0, New = 1, Richer = 2;
        public int[] ViolationEntry = new int[4];
        public Choice[] ViolationChoice = new Choice[4];
        public uint[] ViolationMask = new uint[4];
        public int ViolationCount;
        public long Transitions;
        public byte[] States = new byte[4096];
        public int StateBytes;

        public void Clear()
        {
            StateBytes = 0;
            ChildCount = 0;
            ViolationCount = 0;
            Transitions = 0;
        }

        /// <summary>Room for <paramref name="more"/> children and as many violations.</summary>
        public void Reserve(int more)
        {
            if (ChildCount + more > Hash.Length)
            {
                int size = Math.Max(Hash.Length * 2, ChildCount + more);
                Array.Resize(ref Hash, size);
                Array.Resize(ref Entry, size);
                Array.Resize(ref Choice, size);
                Array.Resize(ref Env, size);
                Array.Resize(ref Outcome, size);
            }
            if (ViolationCount + more > ViolationEntry.Length)
            {
                int size = Math.Max(ViolationEntry.Length * 2, ViolationCount + more);
                Array.Resize(ref ViolationEntry, size);
                Array.Resize(ref ViolationChoice, size);
                Array.Resize(ref ViolationMask, size);
            }
        }

        /// <summary>Stores a state in the block's arena, as its difference from the root state; returns where.</summary>
        public int AddState(ReadOnlySpan<ulong> w, ReadOnlySpan<ulong> rootW, ReadOnlySpan<int> iv, ReadOnlySpan<int> rootI)
        {
            int max = StateStore.MaxEncoded(w.Length, iv.Length);
            if (StateBytes + max > States.Length) Array.Resize(ref States, Math.Max(States.Length * 2, StateBytes + max));
            int at = StateBytes;
            StateBytes += StateStore.Encode(w, rootW, iv, rootI, States.AsSpan(StateBytes));
            return at;
        }

        public void AddChild(ulong hash, int entry, Choice choice, int env)
        {
            int k = ChildCount++;
            Hash[k] = hash;
            Entry[k] = entry;
            Choice[k] = choice;
            Env[k] = env;
        }

        public void AddViolation(int entry, Choice choice, uint mask)
        {
            int k = ViolationCount++;
            ViolationEntry[k] = entry;
            ViolationChoice[k] = choice;
            ViolationMask[k] = mask;
        }
    }

    /// <summary>One level's frontier: each entry's parent (index in the level above) and choice, kept for the
    /// paths; its budget and environment actions so far, dropped once the level below is expanded.</summary>
    private sealed class Level
    {
        public int[] Parent = new int[16];
        public Choice[] Choice = new Choice[16];
        public int[]? Env = new int[16];
        public int[]? Actions = new int[16];
        public int Count;

        public void Add(int parent, Choice choice, int env, int actions)
        {
            if (Count == Parent.Length)
            {
                int size = Count * 2;
                Array.Resize(ref Parent, size);
                Array.Resize(ref Choice, size);
                Array.Resize(ref Env, size);
                Array.Resize(ref Actions, size);
            }
            Parent[Count] = parent;
            Choice[Count] = choice;
            Env![Count] = env;
            Actions![Count] = actions;
            Count++;
        }

        public void DropBudgets()
        {
            Env = null;
            Actions = null;
            Array.Resize(ref Parent, Count);
            Array.Resize(ref Choice, Count);
        }
    }

    /// <summary>A level's states, each stored as its difference from the root state — (index, value) of every
    /// W and I word that differs — in byte segments kept for the next level: the frontier of a big search takes a
    /// few hundred bytes a state instead of the whole state's kilobytes.</summary>
    private sealed class StateStore
    {
        private const int SegmentBytes = 1 << 22;
        private readonly List<byte[]> segments = [];
        private long[] at = new long[16];
        private int segment, used;

        /// <summary>The most bytes a state can take.</summary>
        public static int MaxEncoded(int words, int ints) => 4 + words * 10 + ints * 6;

        /// <summary>Empties the store for a level of <paramref name="entries"/> states (keeping its segments).</summary>
        public void Clear(int entries)
        {
            if (at.Length < entries) at = new long[Math.Max(entries, at.Length * 2)];
            segment = 0;
            used = 0;
        }

        /// <summary>Entry <paramref name="entry"/>'s state is at <paramref name="offset"/> of its block's arena (a
        /// worker says so; entries are distinct); <see cref="Adopt"/> turns that into the store's address.</summary>
        public void Put(int entry, int offset) => at[entry] = offset;

        /// <summary>Copies a block's states into the store, packed (the merge does, block by block).</summary>
        public void Adopt(Block block, int first, int end)
        {
            if (segments.Count == 0 || used + block.StateBytes > segments[segment].Length)
            {
                if (segments.Count > 0) segment++;
                used = 0;
                // the first segments small, then doubling up to SegmentBytes: a small search allocates little
                int size = Math.Max(Math.Min(SegmentBytes, Math.Max(1 << 16, segment > 0 ? segments[segment - 1].Length * 2 : 0)),
                    (int)BitOperations.RoundUpToPowerOf2((uint)block.StateBytes));
                if (segment == segments.Count) segments.Add(new byte[size]);
                else if (segments[segment].Length < block.StateBytes) segments[segment] = new byte[size];
            }
            block.States.AsSpan(0, block.StateBytes).CopyTo(segments[segment].AsSpan(used));
            for (int e = first; e < end; e++) at[e] = (long)segment << 32 | (uint)(used + (int)at[e]);
            used += block.StateBytes;
        }

        /// <summary>The stored bytes of entry <paramref name="entry"/>.</summary>
        public ReadOnlySpan<byte> Of(int entry)
        {
            long a = at[entry];
            return segments[(int)(a >> 32)].AsSpan((int)(uint)a);
        }

        /// <summary>Writes the (index, value) of every word of <paramref name="w"/> and <paramref name="iv"/> that
        /// differs from the root's: a 16-bit count, then 16-bit index and value, for W then for I.</summary>
        public static int Encode(ReadOnlySpan<ulong> w, ReadOnlySpan<ulong> rootW, ReadOnlySpan<int> iv, ReadOnlySpan<int> rootI, Span<byte> to)
        {
            int n = 2, count = 0;
            for (int k = 0; k < w.Length; k++)
            {
                k += w[k..].CommonPrefixLength(rootW[k..]);
                if (k >= w.Length) break;
                BinaryPrimitives.WriteUInt16LittleEndian(to[n..], (ushort)k);
                BinaryPrimitives.WriteUInt64LittleEndian(to[(n + 2)..], w[k]);
                n += 10;
                count++;
            }
            BinaryPrimitives.WriteUInt16LittleEndian(to, (ushort)count);
            int countAt = n;
            n += 2;
            count = 0;
            for (int k = 0; k < iv.Length; k++)
            {
                k += iv[k..].CommonPrefixLength(rootI[k..]);
                if (k >= iv.Length) break;
                BinaryPrimitives.WriteUInt16LittleEndian(to[n..], (ushort)k);
                BinaryPrimitives.WriteInt32LittleEndian(to[(n + 2)..], iv[k]);
                n += 6;
                count++;
            }
            BinaryPrimitives.WriteUInt16LittleEndian(to[countAt..], (ushort)count);
            return n;
        }

        public static void Decode(ReadOnlySpan<byte> from, ReadOnlySpan<ulong> rootW, ReadOnlySpan<int> rootI, Span<ulong> w, Span<int> iv)
        {
            rootW.CopyTo(w);
            rootI.CopyTo(iv);
            int count = BinaryPrimitives.ReadUInt16LittleEndian(from);
            int n = 2;
            for (int c = 0; c < count; c++, n += 10)
                w[BinaryPrimitives.ReadUInt16LittleEndian(from[n..])] = BinaryPrimitives.ReadUInt64LittleEndian(from[(n + 2)..]);
            count = BinaryPrimitives.ReadUInt16LittleEndian(from[n..]);
            n += 2;
            for (int c = 0; c < count; c++, n += 6)
                iv[BinaryPrimitives.ReadUInt16LittleEndian(from[n..])] = BinaryPrimitives.ReadInt32LittleEndian(from[(n + 2)..]);
        }
    }
}
