using System.Numerics;
using Checker.Model;

namespace Checker.Exploration;

/// <summary>
/// Depth-first search over every interleaving with at most K generated environment actions in total, with
/// visited-state hashing (a state is expanded again only when reached with more budget left). Keeps, for
/// each invariant, the violating path with the fewest environment actions: because pruning only skips a
/// state already explored with at least as much budget, that is the true minimum within the bound.
/// "Complete" means the search ran out of states to explore, not out of its state limit.
/// </summary>
public sealed class ExhaustiveExplorer
{
    private readonly CompiledOrdering program;
    private readonly Machine machine;
    private readonly int maxChoices;
    private readonly List<Frame> frames = [];
    private Choice[] path = new Choice[64];

    public ExhaustiveExplorer(CompiledOrdering program)
    {
        this.program = program;
        machine = new Machine(program);
        maxChoices = Math.Max(1, machine.MaxChoices);
    }

    /// <summary>Distinct states visited.</summary>
    public long States { get; private set; }

    /// <summary>Transitions (steps) executed.</summary>
    public long Transitions { get; private set; }

    public bool Complete { get; private set; }

    /// <summary>Best violating path per invariant (index = <see cref="Invariants.InvariantId"/>), or null.</summary>
    public Choice[]?[] Found { get; } = new Choice[8][];

    /// <summary>Environment actions of each best path.</summary>
    public int[] FoundEnvironmentActions { get; } = new int[8];

    /// <summary>Explores; <paramref name="shard"/> of <paramref name="shards"/> takes the root's choices whose
    /// index is congruent to it.</summary>
    public void Run(int bound, long stateLimit, int shard, int shards, CancellationToken cancel)
    {
        var visited = new VisitedSet();
        machine.Reset(bound);
        visited.TryVisit(machine.State.Hash(), bound);
        States = 1;
        Complete = false;
        int depth = 0;
        Push(0);
        bool atTop = true; // the machine holds the state of frames[depth]
        while (depth >= 0)
        {
            var f = frames[depth];
            if (f.Next == f.Count)
            {
                depth--;
                atTop = false;
                continue;
            }
            var choice = f.Choices[f.Next++];
            if (depth == 0 && shards > 1 && (f.Next - 1) % shards != shard) continue;
            if (!atTop) machine.Restore(f.Snapshot, f.EnvRemaining, f.Steps);
            atTop = false;
            uint violated = machine.Step(choice);
            Transitions++;
            if (depth >= path.Length) Array.Resize(ref path, path.Length * 2);
            path[depth] = choice;
            if (violated != 0)
            {
                Record(violated, depth + 1, bound - machine.EnvRemaining);
                continue;
            }
            if (!visited.TryVisit(machine.State.Hash(), machine.EnvRemaining)) continue;
            States++;
            if (States >= stateLimit || ((States & 4095) == 0 && cancel.IsCancellationRequested)) return;
            depth++;
            Push(depth);
            atTop = true;
        }
        Complete = true;
    }

    private void Push(int depth)
    {
        if (depth == frames.Count) frames.Add(new Frame(new ModelState(program), new Choice[maxChoices]));
        var f = frames[depth];
        f.Snapshot.CopyFrom(machine.State);
        f.EnvRemaining = machine.EnvRemaining;
        f.Steps = machine.Steps;
        f.Count = machine.EnabledChoices(f.Choices);
        f.Next = 0;
    }

    private void Record(uint violated, int length, int environmentActions)
    {
        int id = BitOperations.TrailingZeroCount(violated);
        var best = Found[id];
        if (best is not null && FoundEnvironmentActions[id] <= environmentActions
            && (FoundEnvironmentActions[id] < environmentActions || best.Length <= length)) return;
        Found[id] = path[..length];
        FoundEnvironmentActions[id] = environmentActions;
    }

    private sealed class Frame(ModelState snapshot, Choice[] choices)
    {
        public ModelState Snapshot { get; } = snapshot;
        public Choice[] Choices { get; } = choices;
        public int Count;
        public int Next;
        public int EnvRemaining;
        public int Steps;
    }
}
