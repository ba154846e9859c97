namespace Checker.Exploration;

/// <summary>
/// Open-addressing table from a state hash to the most environment budget that state was reached with. A
/// state is worth exploring again only with more budget left than before. Each slot is one 64-bit word: the
/// hash's high 56 bits as fingerprint and the budget + 1 in the low byte (0 = empty), so a lookup in a table
/// far bigger than the caches costs one memory access, and <see cref="Prefetch"/> can start it early. A false
/// match needs two states to agree on 56 fingerprint bits within one probe chain: about 10^-9 over ten
/// million states, far below the 64-bit hash's own collision chance.
/// </summary>
internal sealed class VisitedSet
{
    private const ulong BudgetMask = 0xFF;
    private ulong[] slots;
    private int mask;

    public VisitedSet(int capacityPowerOfTwo = 1 << 16)
    {
        slots = new ulong[capacityPowerOfTwo];
        mask = capacityPowerOfTwo - 1;
    }

    public long Count { get; private set; }

    /// <summary>The slots themselves, for <see cref="SharedVisitedSet"/> to start from (same layout).</summary>
    internal ReadOnlySpan<ulong> Slots => slots;

    /// <summary>
    /// The chance that some state was taken for another already visited — i.e. that a "complete" search missed
    /// states — is at most the chance that two of the <paramref name="states"/> stored fingerprints agree: a
    /// fingerprint decides its slot, so a false match needs all 56 bits equal, and over n states that is at most
    /// n(n-1)/2 pairs × 2^-56 = n(n-1)/2^57 (the bound Spin prints in hash-compact mode). 1.7 % at 50 M states,
    /// 7e-4 at 10 M, 3e-7 at 200 k. Symmetry reduction hashes the orbit representative: the same bound holds.
    /// </summary>
    public static double OmissionBound(long states) =>
        states < 2 ? 0 : Math.Min(1.0, (double)states * (states - 1) / 144115188075855872.0);

    /// <summary>Records the state with <paramref name="remaining"/> budget; false when it was already seen
    /// with at least as much.</summary>
    public bool TryVisit(ulong hash, int remaining)
    {
        ulong budget = (ulong)Math.Clamp(remaining + 1, 1, 255);
        ulong fingerprint = hash & ~BudgetMask;
        int slot = (int)(Scramble(fingerprint) & (ulong)mask);
        while (true)
        {
            ulong stored = slots[slot];
            if (stored == 0)
            {
                slots[slot] = fingerprint | budget;
                if (++Count * 10 > slots.Length * 7L) Grow();
                return true;
            }
            if ((stored & ~BudgetMask) == fingerprint)
            {
                if ((stored & BudgetMask) >= budget) return false;
                slots[slot] = fingerprint | budget;
                return true;
            }
            slot = (slot + 1) & mask;
        }
    }

    /// <summary>Starts loading the slot a hash maps to, so a later <see cref="TryVisit"/> finds it in cache.</summary>
    public unsafe void Prefetch(ulong hash)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        int slot = (int)(Scramble(hash & ~BudgetMask) & (ulong)mask);
        System.Runtime.Intrinsics.X86.Sse.Prefetch0(System.Runtime.CompilerServices.Unsafe.AsPointer(ref slots[slot]));
    }

    /// <summary>Spreads a fingerprint's bits over the slot index (shared with <see cref="SharedVisitedSet"/>).</summary>
    internal static ulong Scramble(ulong h)
    {
        unchecked
        {
            h ^= h >> 31;
            h *= 0x7FB5D329728EA185UL;
            return h ^ (h >> 27);
        }
    }

    private void Grow()
    {
        var old = slots;
        slots = new ulong[old.Length * 2];
        mask = slots.Length - 1;
        foreach (ulong s in old)
        {
            if (s == 0) continue;
            int slot = (int)(Scramble(s & ~BudgetMask) & (ulong)mask); // the slot comes from the fingerprint alone
            while (slots[slot] != 0) slot = (slot + 1) & mask;
            slots[slot] = s;
        }
    }
}
