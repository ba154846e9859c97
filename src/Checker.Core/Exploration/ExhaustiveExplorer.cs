using System.Numerics;
using Checker.Exploration.Symmetry;
using Checker.Model;
using Checker.Vocabulary;

namespace Checker.Exploration;

/// <summary>
/// Depth-first search over every interleaving with at most K generated environment actions in total, with
/// visited-state hashing (a state is expanded again only when reached with more budget left). Keeps, for
/// each invariant, the violating path with the fewest environment actions: because pruning only skips a
/// state already explored with at least as much budget, that is the true minimum within the bound.
/// "Complete" means the search ran out of states to explore, not out of its state limit.
/// A node is expanded all at once — every child stepped, hashed and its visited-table slot prefetched —
/// and only then filtered against the table, so the table's cache misses overlap.
/// </summary>
internal sealed class ExhaustiveExplorer
{
    private readonly CompiledOrdering program;
    private readonly Machine machine;
    private readonly int maxChoices;
    private readonly List<SearchLevel> levels = [];
    private Choice[] path = new Choice[64];
    private VisitedSet? visited;
    private int depth;
    private long report;
    private bool foundAny;
    private const long ReportEvery = 16_384;

    private readonly StateCanonicalizer? canonical;
    private readonly SiblingFilter? siblings;

    /// <summary>A search of <paramref name="program"/>; with <paramref name="symmetry"/> (the default) states that
    /// differ only by a permutation of interchangeable pages, CPUs, devices or shadows count as one (issue 14).</summary>
    public ExhaustiveExplorer(CompiledOrdering program, bool symmetry = true)
    {
        this.program = program;
        machine = new Machine(program);
        maxChoices = Math.Max(1, machine.MaxChoices);
        Symmetry = SymmetryPlan.For(program, symmetry);
        if (Symmetry.Reduces)
        {
            canonical = new StateCanonicalizer(program, Symmetry);
            siblings = new SiblingFilter(program, Symmetry);
        }
    }

    /// <summary>What the search treats as interchangeable.</summary>
    public SymmetryPlan Symmetry { get; }

    private ulong HashOf(ModelState state) => canonical is null ? state.Hash() : canonical.Hash(state);

    /// <summary>Distinct states visited (the visited table's size).</summary>
    public long States => visited?.Count ?? 0;

    /// <summary>States expanded: distinct states, plus those expanded again because they were reached later
    /// with more environment budget left.</summary>
    public long Expansions { get; private set; }

    /// <summary>Transitions (steps) executed.</summary>
    public long Transitions { get; private set; }

    public bool Complete { get; private set; }

    /// <summary>Best violating path per invariant (index = <see cref="Vocabulary.InvariantId"/>), or null.</summary>
    public Choice[]?[] Found { get; } = new Choice[Invariant.Count][];

    /// <summary>Environment actions of each best path.</summary>
    public int[] FoundEnvironmentActions { get; } = new int[Invariant.Count];

    /// <summary>Explores every interleaving with at most <paramref name="bound"/> environment actions, up to
    /// <paramref name="stateLimit"/> distinct states. <paramref name="progress"/> hears the state count every
    /// 16,384 expansions. (The search is not split between <c>--shard</c>s: see <see cref="Explorer"/>.)</summary>
    public void Run(int bound, long stateLimit, CancellationToken cancel,
        IExplorationProgress? progress = null)
    {
        Start(bound);
        Continue(stateLimit, long.MaxValue, cancel, progress);
    }

    /// <summary>Starts a search at the root: visits it and expands it; <see cref="Continue"/> goes on.</summary>
    public void Start(int bound)
    {
        visited = new VisitedSet();
        machine.Reset(bound);
        visited.TryVisit(HashOf(machine.State), bound);
        Expansions = 1;
        Complete = false;
        Expand(visited, 0);
        depth = 0;
        report = Expansions + ReportEvery;
    }

    /// <summary>Searches on from where it stopped until it is complete, reaches <paramref name="stateLimit"/> distinct
    /// states or is cancelled (false), or — as long as no invariant has been violated — has <paramref name="pauseAt"/>
    /// states (true: paused between two nodes, with the untaken children of every level on the stack; see
    /// <see cref="LevelAt"/>). Continuing a paused search makes it exactly the search run without the pause.</summary>
    public bool Continue(long stateLimit, long pauseAt, CancellationToken cancel, IExplorationProgress? progress = null)
    {
        var visited = this.visited!;
        int depth = this.depth;
        try
        {
            while (depth >= 0)
            {
                var level = levels[depth];
                if (level.Next == level.Count)
                {
                    depth--;
                    continue;
                }
                int k = level.Next++;
                if (depth >= path.Length) Array.Resize(ref path, path.Length * 2);
                path[depth] = level.Kept[k];
                // regenerate the child from its parent: steps are deterministic, and only new children get here
                machine.Restore(level.Parent, level.ParentEnv, level.ParentSteps, contents: false);
                machine.Step(level.Kept[k]);
                Expand(visited, depth + 1);
                depth++;
                if (States >= stateLimit || ((depth & 7) == 0 && cancel.IsCancellationRequested)) return false;
                if (States >= pauseAt && !foundAny) return true;
                if (Expansions >= report)
                {
                    report = Expansions + ReportEvery;
                    progress?.Searched(States);
                }
            }
            Complete = true;
            return false;
        }
        finally
        {
            this.depth = depth;
        }
    }

    /// <summary>The deepest level on a paused search's stack.</summary>
    internal int Depth => depth;

    /// <summary>Level <paramref name="d"/> (0 ≤ d ≤ <see cref="Depth"/>) of a paused search: its parent state and
    /// its children still to explore, <c>Kept[Next..Count)</c>.</summary>
    internal SearchLevel LevelAt(int d) => levels[d];

    /// <summary>The visited table of a started search.</summary>
    internal VisitedSet Visited => visited!;

    /// <summary>Steps every enabled choice of the machine's current state, hashing each child and prefetching
    /// its visited-table slot, then keeps (at <paramref name="depth"/>) the choices whose child is new.</summary>
    private void Expand(VisitedSet visited, int depth)
    {
        if (depth == levels.Count) levels.Add(new SearchLevel(program, maxChoices));
        var level = levels[depth];
        level.Parent.CopyFrom(machine.State, contents: false);
        level.ParentEnv = machine.EnvRemaining;
        level.ParentSteps = machine.Steps;
        int count = machine.EnabledChoices(level.Choices, skipInert: true);
        if (siblings is not null) count = siblings.Filter(level.Parent, level.Choices, count);
        int n = 0;
        for (int c = 0; c < count; c++)
        {
            if (n > 0 || c > 0) machine.Restore(level.Parent, level.ParentEnv, level.ParentSteps, contents: false);
            var choice = level.Choices[c];
            uint violated = machine.Step(choice);
            Transitions++;
            if (violated != 0)
            {
                Record(violated, depth, choice);
                continue;
            }
            ulong hash = HashOf(machine.State);
            visited.Prefetch(hash);
            level.Hash[n] = hash;
            level.Env[n] = machine.EnvRemaining;
            level.Kept[n] = choice;
            n++;
        }
        int kept = 0;
        for (int k = 0; k < n; k++)
        {
            if (!visited.TryVisit(level.Hash[k], level.Env[k])) continue;
            Expansions++;
            level.Kept[kept++] = level.Kept[k];
        }
        level.Count = kept;
        level.Next = 0;
    }

    private void Record(uint violated, int depth, Choice last)
    {
        foundAny = true;
        int environmentActions = EnvironmentActionsOnPath(depth) + (Schedule.IsEnvironmentAction(program, last) ? 1 : 0);
        int id = BitOperations.TrailingZeroCount(violated);
        int length = depth + 1;
        var best = Found[id];
        if (best is not null && FoundEnvironmentActions[id] <= environmentActions
            && (FoundEnvironmentActions[id] < environmentActions || best.Length <= length)) return;
        var steps = new Choice[length];
        Array.Copy(path, steps, depth);
        steps[depth] = last;
        Found[id] = steps;
        FoundEnvironmentActions[id] = environmentActions;
    }

    private int EnvironmentActionsOnPath(int depth)
    {
        int n = 0;
        for (int k = 0; k < depth; k++)
            if (Schedule.IsEnvironmentAction(program, path[k])) n++;
        return n;
    }
}
