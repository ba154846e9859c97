using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Checker.Model;

namespace Checker.Exploration;

/// <summary>How a <see cref="ParallelExhaustiveSearch"/> ended.</summary>
internal enum ParallelOutcome
{
    /// <summary>Every state within the bound was explored, none violated an invariant, and there were fewer than the
    /// state limit: the proof, with the exact state count.</summary>
    Proved,
    /// <summary>Some step violated an invariant: which counterexample to report is the depth-first search's to say.</summary>
    Violation,
    /// <summary>The state limit was reached: where the search is cut is the depth-first search's to say.</summary>
    Limit,
    /// <summary>Cancelled before it ended.</summary>
    Cancelled,
}

/// <summary>
/// The exhaustive search on several workers (issue 14, <c>--jobs</c>): each worker runs
/// <see cref="ExhaustiveExplorer"/>'s depth-first search — the same expansion, the same pruning by environment budget —
/// over one <see cref="SharedVisitedSet"/>, and a worker that runs dry is handed half of the untaken siblings at the
/// shallowest level of a busy worker's stack. No state is stored but in the stacks, so memory is the depth-first
/// search's.
/// <para>
/// Why the result does not depend on the number of workers or their timing: a search that ends without a violation
/// has explored, for every state reachable within the bound, that state with the most budget it can be reached with
/// (a state is expanded again whenever it is reached with more), so the table ends holding exactly the reachable
/// states — in whatever order they were found. That set, its size and "complete" are what a proof reports, and they
/// equal the depth-first search's (up to the fingerprint collisions that <see cref="VisitedSet.OmissionBound"/>
/// bounds for both). What does depend on the order — which violating path is met first, where a state limit cuts —
/// is never taken from here: on a violation or at the limit the search stops and reports only that
/// (<see cref="ParallelOutcome"/>), and the caller runs the depth-first search, whose answer is the reference.
/// The argument needs one representative per state, so the search is unreduced: symmetry reduction's canonical form
/// does not always give one per orbit (ties keep index order), and with it the count could depend on which member
/// of an orbit a worker met first. <see cref="ExhaustiveAnswer"/> keeps reduced searches depth-first.
/// </para>
/// </summary>
internal sealed class ParallelExhaustiveSearch
{
    private const int PublishEvery = 256;
    private const long ReportEvery = 16_384;

    private readonly CompiledOrdering program;
    private readonly int jobs;
    private readonly int tableSlots;
    private readonly int publishEvery;
    private readonly Stack<Handoff> pool = new();
    private readonly Stack<ModelState> spare = new();
    private SharedVisitedSet table = null!;
    private Barrier barrier = null!;
    private int bound;
    private long stateLimit;
    private volatile int poolCount, idle, growRequested;
    private volatile bool stop, finished;
    private int outcome;
    private ExceptionDispatchInfo? failure;

    /// <summary>An unreduced search of <paramref name="program"/> on <paramref name="jobs"/> workers (at least 2).
    /// <paramref name="tableSlots"/> (a power of two; 0 = the default) starts the visited table smaller and publishes
    /// every new state at once, for tests of its growth.</summary>
    public ParallelExhaustiveSearch(CompiledOrdering program, int jobs, int tableSlots = 0)
    {
        this.program = program;
        this.jobs = Math.Max(2, jobs);
        this.tableSlots = tableSlots;
        publishEvery = tableSlots > 0 ? 1 : PublishEvery;
    }

    /// <summary>Distinct states visited: exact when the outcome is <see cref="ParallelOutcome.Proved"/>.</summary>
    public long States { get; private set; }

    /// <summary>How the search ended.</summary>
    public ParallelOutcome Outcome => (ParallelOutcome)outcome;

    /// <summary>Explores every interleaving with at most <paramref name="bound"/> environment actions until it has
    /// explored them all, met a violation, reached <paramref name="stateLimit"/> distinct states or been cancelled.
    /// <paramref name="progress"/> hears the state count now and then (from the calling thread).</summary>
    public void Run(int bound, long stateLimit, CancellationToken cancel, IExplorationProgress? progress = null) =>
        Run(null, bound, stateLimit, cancel, progress);

    /// <summary>Goes on with a depth-first search paused with nothing found (<see cref="ExhaustiveExplorer.Continue"/>):
    /// its visited table is copied into the shared one and the untaken children of every level of its stack are
    /// handed out, so the states it has seen are not searched again. <paramref name="seed"/> itself is left as it
    /// was, to be continued if the answer must be its own.</summary>
    public void Run(ExhaustiveExplorer? seed, int bound, long stateLimit, CancellationToken cancel,
        IExplorationProgress? progress = null)
    {
        this.bound = bound;
        this.stateLimit = stateLimit;
        // the table grows at 70 % of what is published; what is not yet published (a batch per worker) and what the
        // workers add before they all reach a safe point (a node's children each) must fit in the rest, for an
        // open-addressing table must never fill: keep that under 25 % (a test's small table keeps at least 512 slots)
        long margin = (long)jobs * (publishEvery + Math.Max(1, new Machine(program).MaxChoices)) * 4;
        int slots = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)Math.Max(margin,
            tableSlots > 0 ? Math.Max(512, tableSlots) : Math.Max(1 << 16, jobs * PublishEvery * 16L)));
        table = seed is null ? new SharedVisitedSet(slots) : new SharedVisitedSet(seed.Visited, slots);
        if (seed is not null)
            for (int d = 0; d <= seed.Depth; d++)
            {
                var level = seed.LevelAt(d);
                if (level.Next < level.Count) Give(level, level.Kept.AsSpan(level.Next, level.Count - level.Next).ToArray());
            }
        if (table.Crowded) growRequested = 1;
        // a growth takes two phases: the first allocates the new slots, every worker then moves its share of the old
        // ones, and the second swaps the new table in
        barrier = new Barrier(jobs, b =>
        {
            if ((b.CurrentPhaseNumber & 1) == 0) table.BeginGrow();
            else
            {
                table.EndGrow();
                growRequested = 0;
            }
        });
        outcome = (int)ParallelOutcome.Proved;
        // each worker is built on its own thread, so that what it writes per state (its machine, its counters) sits
        // in memory of its own and never shares a cache line with another worker's
        var workers = new Worker[jobs];
        var threads = new List<Thread>(jobs - 1);
        try
        {
            for (int j = 1; j < jobs; j++)
            {
                int job = j;
                var thread = new Thread(() => RunWorker(workers, job, cancel, null, root: false))
                    { IsBackground = true, Name = "checker-search-" + j };
                thread.Start();
                threads.Add(thread);
            }
        }
        catch
        {
            // the workers that did start must not wait for the ones that did not
            Stop(ParallelOutcome.Cancelled);
            barrier.RemoveParticipants(jobs - 1 - threads.Count);
            barrier.RemoveParticipant(); // worker 0's
            foreach (var t in threads) t.Join();
            throw;
        }
        RunWorker(workers, 0, cancel, progress, root: seed is null);
        foreach (var t in threads) t.Join();
        barrier.Dispose();
        failure?.Throw();
        States = table.Count;
        if (Outcome == ParallelOutcome.Proved && States >= stateLimit) outcome = (int)ParallelOutcome.Limit;
    }

    /// <summary>Builds worker <paramref name="job"/> on the calling thread — so that what it writes per state (its
    /// machine, its counters) lies in memory of its own, never on a cache line another worker writes — and runs it.
    /// A failure stops every worker and is rethrown by Run.</summary>
    private void RunWorker(Worker[] workers, int job, CancellationToken cancel, IExplorationProgress? progress, bool root)
    {
        try
        {
            workers[job] = new Worker(this, cancel, progress);
            workers[job].Work(root);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
            Stop(ParallelOutcome.Cancelled);
        }
        finally
        {
            workers[job]?.Flush();
            try
            {
                barrier.RemoveParticipant(); // a worker still waiting to grow the table need not wait for this one
            }
            catch (BarrierPostPhaseException e)
            {
                // the growth this completed failed (out of memory): the others are told by their SignalAndWait
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e.InnerException ?? e), null);
                Stop(ParallelOutcome.Cancelled);
            }
        }
    }

    /// <summary>Ends the search for every worker with <paramref name="why"/> (the first reason given wins).</summary>
    private void Stop(ParallelOutcome why)
    {
        Interlocked.CompareExchange(ref outcome, (int)why, (int)ParallelOutcome.Proved);
        stop = true;
    }

    /// <summary>Where a worker may be parked while the table grows: outside every table access.</summary>
    private void SafePoint()
    {
        if (growRequested == 0) return;
        barrier.SignalAndWait();
        table.HelpGrow();
        barrier.SignalAndWait();
    }

    /// <summary>A part of the search handed from one worker to another: a parent state and the children of it still
    /// to explore (already in the table, as the depth-first search keeps them).</summary>
    private sealed record Handoff(ModelState Parent, int Env, int Steps, Choice[] Children);

    /// <summary>Waits for a task; null when the search has ended (every worker idle with none left, or stopped). An
    /// idle worker sleeps on the pool's monitor (woken by <see cref="Give"/>, or after a millisecond to see a stop or a
    /// growth), so that it takes no core from the busy ones.</summary>
    private Handoff? Take()
    {
        bool counted = false;
        while (true)
        {
            SafePoint(); // outside the lock: a worker that must give to reach its own safe point needs the lock
            lock (pool)
            {
                if (pool.Count > 0)
                {
                    if (counted) idle--;
                    poolCount = pool.Count - 1;
                    return pool.Pop();
                }
                if (!counted)
                {
                    counted = true;
                    if (++idle == jobs)
                    {
                        finished = true;
                        Monitor.PulseAll(pool);
                        return null;
                    }
                }
                if (stop || finished) return null;
                if (growRequested == 0) Monitor.Wait(pool, 1);
            }
        }
    }

    /// <summary>Hands <paramref name="children"/> of <paramref name="level"/>'s parent to the idle workers; the parent
    /// is copied into a state the workers recycle (<see cref="Recycle"/>).</summary>
    private void Give(SearchLevel level, Choice[] children)
    {
        lock (pool)
        {
            var parent = spare.Count > 0 ? spare.Pop() : new ModelState(program);
            parent.CopyFrom(level.Parent);
            pool.Push(new Handoff(parent, level.ParentEnv, level.ParentSteps, children));
            poolCount = pool.Count;
            Monitor.Pulse(pool);
        }
    }

    private void Recycle(ModelState state)
    {
        lock (pool) spare.Push(state);
    }

    /// <summary>One worker: a machine, its counters, and a
    /// depth-first stack of <see cref="SearchLevel"/>s.</summary>
    private sealed class Worker
    {
        private readonly ParallelExhaustiveSearch search;
        private readonly CancellationToken cancel;
        private readonly IExplorationProgress? progress;
        private readonly Machine machine;
        private readonly List<SearchLevel> levels = [];
        private readonly int maxChoices;
        private long fresh;
        private long report = ReportEvery;

        public Worker(ParallelExhaustiveSearch search, CancellationToken cancel, IExplorationProgress? progress)
        {
            this.search = search;
            this.cancel = cancel;
            this.progress = progress;
            machine = new Machine(search.program);
            maxChoices = Math.Max(1, machine.MaxChoices);
        }

        /// <summary>States this worker expanded: when to tell <see cref="progress"/>.</summary>
        private long expansions;

        /// <summary>Explores from the root (worker 0) and then whatever it is handed, until the search ends.</summary>
        public void Work(bool root)
        {
            if (root)
            {
                machine.Reset(search.bound);
                if (search.table.TryVisit(machine.State.Hash(), search.bound, out bool added) && added) fresh++;
                expansions++;
                Expand(0);
                Search();
            }
            while (!search.stop && search.Take() is { } task)
            {
                Load(task);
                Search();
            }
        }

        /// <summary>Publishes the states this worker added since its last batch.</summary>
        public void Flush()
        {
            search.table.Publish(fresh);
            fresh = 0;
        }

        /// <summary>Makes a task this worker's level 0.</summary>
        private void Load(Handoff task)
        {
            if (levels.Count == 0) levels.Add(new SearchLevel(search.program, maxChoices));
            var level = levels[0];
            level.Parent.CopyFrom(task.Parent);
            level.ParentEnv = task.Env;
            level.ParentSteps = task.Steps;
            search.Recycle(task.Parent);
            task.Children.CopyTo(level.Kept, 0);
            level.Count = task.Children.Length;
            level.Next = 0;
        }

        /// <summary>The depth-first loop of <see cref="ExhaustiveExplorer.Run"/> from level 0, handing work to idle
        /// workers as it goes.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Search()
        {
            int depth = 0;
            long round = 0;
            while (depth >= 0)
            {
                if (search.stop) return;
                search.SafePoint();
                if (search.idle > 0 && search.poolCount == 0) Donate(depth);
                var level = levels[depth];
                if (level.Next == level.Count)
                {
                    depth--;
                    continue;
                }
                int k = level.Next++;
                machine.Restore(level.Parent, level.ParentEnv, level.ParentSteps, contents: false);
                machine.Step(level.Kept[k]);
                Expand(depth + 1);
                depth++;
                if ((++round & 255) == 0 && cancel.IsCancellationRequested) search.Stop(ParallelOutcome.Cancelled);
                if (progress is not null && expansions >= report)
                {
                    report = expansions + ReportEvery;
                    progress.Searched(search.table.Count + fresh);
                }
            }
        }

        /// <summary>Hands half of the untaken children at the shallowest level that has any to the idle workers.</summary>
        private void Donate(int depth)
        {
            for (int d = 0; d <= depth; d++)
            {
                var level = levels[d];
                int left = level.Count - level.Next;
                if (left == 0) continue;
                int give = (left + 1) / 2;
                var children = level.Kept.AsSpan(level.Count - give, give).ToArray();
                level.Count -= give;
                search.Give(level, children);
                return;
            }
        }

        /// <summary><see cref="ExhaustiveExplorer"/>'s expansion against the shared table; a violation stops the search.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Expand(int depth)
        {
            if (depth == levels.Count) levels.Add(new SearchLevel(search.program, maxChoices));
            var level = levels[depth];
            level.Parent.CopyFrom(machine.State, contents: false);
            level.ParentEnv = machine.EnvRemaining;
            level.ParentSteps = machine.Steps;
            int count = machine.EnabledChoices(level.Choices, skipInert: true);
            var table = search.table;
            int n = 0;
            for (int c = 0; c < count; c++)
            {
                if (c > 0) machine.Restore(level.Parent, level.ParentEnv, level.ParentSteps, contents: false);
                var choice = level.Choices[c];
                if (machine.Step(choice) != 0)
                {
                    search.Stop(ParallelOutcome.Violation);
                    level.Count = level.Next = 0;
                    return;
                }
                ulong hash = machine.State.Hash();
                table.Prefetch(hash);
                level.Hash[n] = hash;
                level.Env[n] = machine.EnvRemaining;
                level.Kept[n] = choice;
                n++;
            }
            int kept = 0;
            for (int k = 0; k < n; k++)
            {
                if (!table.TryVisit(level.Hash[k], level.Env[k], out bool added)) continue;
                if (added && ++fresh >= search.publishEvery) Publish();
                expansions++;
                level.Kept[kept++] = level.Kept[k];
            }
            level.Count = kept;
            level.Next = 0;
        }

        private void Publish()
        {
            long total = search.table.Publish(fresh);
            fresh = 0;
            if (total >= search.stateLimit) search.Stop(ParallelOutcome.Limit);
            else if (search.table.Crowded) search.growRequested = 1;
        }
    }
}
