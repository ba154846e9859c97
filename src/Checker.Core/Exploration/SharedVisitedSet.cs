namespace Checker.Exploration;

/// <summary>
/// <see cref="VisitedSet"/> for several workers at once (issue 14): the same one-word slots — 56 fingerprint bits,
/// the most environment budget the state was reached with + 1 in the low byte — claimed and raised with
/// compare-and-swap, so no lock is taken per state. Workers count the states they add themselves and publish them
/// in batches (<see cref="Publish"/>); the table grows only when every worker has stopped at a safe point, so a
/// lookup never races a move (<see cref="ParallelExhaustiveSearch"/> runs the protocol).
/// </summary>
internal sealed class SharedVisitedSet
{
    private const ulong BudgetMask = 0xFF;
    private ulong[] slots;
    private int mask;
    private long count;

    public SharedVisitedSet(int capacityPowerOfTwo)
    {
        slots = new ulong[capacityPowerOfTwo];
        mask = capacityPowerOfTwo - 1;
    }

    /// <summary>A table holding <paramref name="from"/>'s states (a paused depth-first search's), with at least
    /// <paramref name="minimumSlots"/> slots (a power of two).</summary>
    public SharedVisitedSet(VisitedSet from, int minimumSlots)
    {
        var old = from.Slots;
        slots = new ulong[Math.Max(old.Length, minimumSlots)];
        mask = slots.Length - 1;
        if (slots.Length == old.Length) old.CopyTo(slots);
        else
            foreach (ulong s in old)
            {
                if (s == 0) continue;
                int slot = (int)(VisitedSet.Scramble(s & ~BudgetMask) & (ulong)mask);
                while (slots[slot] != 0) slot = (slot + 1) & mask;
                slots[slot] = s;
            }
        count = from.Count;
    }

    /// <summary>States published so far; exact once every worker has published its last batch.</summary>
    public long Count => Volatile.Read(ref count);

    /// <summary>True when the published count is past 70 % of the slots: time to grow.</summary>
    public bool Crowded => Volatile.Read(ref count) * 10 > slots.Length * 7L;

    /// <summary>Adds a worker's batch of new states to the count; returns the new total.</summary>
    public long Publish(long added) => Interlocked.Add(ref count, added);

    /// <summary>Records the state with <paramref name="remaining"/> budget; false when it was already seen with at
    /// least as much. <paramref name="added"/> is true when the fingerprint is new to the table (the caller counts it).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public bool TryVisit(ulong hash, int remaining, out bool added)
    {
        ulong budget = (ulong)Math.Clamp(remaining + 1, 1, 255);
        ulong fingerprint = hash & ~BudgetMask;
        var table = slots;
        int slot = (int)(VisitedSet.Scramble(fingerprint) & (ulong)mask);
        added = false;
        for (int probes = 0; ; probes++)
        {
            if (probes > mask) throw new InvalidOperationException($"the shared visited table is full ({table.Length} slots, {Count} states published)");
            ulong stored = Volatile.Read(ref table[slot]);
            if (stored == 0)
            {
                stored = Interlocked.CompareExchange(ref table[slot], fingerprint | budget, 0);
                if (stored == 0)
                {
                    added = true;
                    return true;
                }
            }
            if ((stored & ~BudgetMask) == fingerprint)
            {
                // raise the budget unless another worker already stored as much
                while ((stored & BudgetMask) < budget)
                {
                    ulong seen = Interlocked.CompareExchange(ref table[slot], fingerprint | budget, stored);
                    if (seen == stored) return true;
                    stored = seen;
                }
                return false;
            }
            slot = (slot + 1) & mask;
        }
    }

    /// <summary>Starts loading the slot a hash maps to, so a later <see cref="TryVisit"/> finds it in cache.</summary>
    public unsafe void Prefetch(ulong hash)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        int slot = (int)(VisitedSet.Scramble(hash & ~BudgetMask) & (ulong)mask);
        System.Runtime.Intrinsics.X86.Sse.Prefetch0(System.Runtime.CompilerServices.Unsafe.AsPointer(ref slots[slot]));
    }

    private ulong[]? grown;
    private int nextChunk;
    private const int GrowChunk = 1 << 14;

    /// <summary>Starts doubling the table: allocates the new slots, which every worker then fills with its share of
    /// the old ones (<see cref="HelpGrow"/>) before <see cref="EndGrow"/> swaps them in. Only while every worker is
    /// stopped outside <see cref="TryVisit"/> and <see cref="Prefetch"/>.</summary>
    public void BeginGrow()
    {
        grown = new ulong[slots.Length * 2];
        nextChunk = 0;
    }

    /// <summary>Moves chunks of the old slots into the new table until none is left (any number of workers at once:
    /// they claim chunks by counter and slots by compare-and-swap).</summary>
    public void HelpGrow()
    {
        var old = slots;
        var target = grown!;
        int m = target.Length - 1;
        while (true)
        {
            long start = (long)(Interlocked.Increment(ref nextChunk) - 1) * GrowChunk;
            if (start >= old.Length) return;
            int end = (int)Math.Min(old.Length, start + GrowChunk);
            for (int i = (int)start; i < end; i++)
            {
                ulong s = old[i];
                if (s == 0) continue;
                int slot = (int)(VisitedSet.Scramble(s & ~BudgetMask) & (ulong)m); // the slot comes from the fingerprint alone
                while (Interlocked.CompareExchange(ref target[slot], s, 0) != 0) slot = (slot + 1) & m;
            }
        }
    }

    /// <summary>Swaps the filled new table in.</summary>
    public void EndGrow()
    {
        slots = grown!;
        mask = slots.Length - 1;
        grown = null;
    }
}
