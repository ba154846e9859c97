namespace Checker.Exploration;

/// <summary>
/// Open-addressing table from a 64-bit state hash to the most environment budget that state was reached
/// with. A state is worth exploring again only with more budget left than before.
/// </summary>
public sealed class VisitedSet
{
    private ulong[] keys;
    private byte[] budgets; // remaining budget + 1; 0 = empty slot
    private int mask;

    public VisitedSet(int capacityPowerOfTwo = 1 << 16)
    {
        keys = new ulong[capacityPowerOfTwo];
        budgets = new byte[capacityPowerOfTwo];
        mask = capacityPowerOfTwo - 1;
    }

    public long Count { get; private set; }

    /// <summary>Records the state with <paramref name="remaining"/> budget; false when it was already seen
    /// with at least as much.</summary>
    public bool TryVisit(ulong hash, int remaining)
    {
        byte value = (byte)(Math.Min(remaining, 254) + 1);
        int slot = (int)(Scramble(hash) & (ulong)mask);
        while (true)
        {
            byte stored = budgets[slot];
            if (stored == 0)
            {
                keys[slot] = hash;
                budgets[slot] = value;
                if (++Count * 2 > keys.Length) Grow();
                return true;
            }
            if (keys[slot] == hash)
            {
                if (stored >= value) return false;
                budgets[slot] = value;
                return true;
            }
            slot = (slot + 1) & mask;
        }
    }

    private static ulong Scramble(ulong h)
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
        var oldKeys = keys;
        var oldBudgets = budgets;
        keys = new ulong[oldKeys.Length * 2];
        budgets = new byte[oldKeys.Length * 2];
        mask = keys.Length - 1;
        for (int i = 0; i < oldKeys.Length; i++)
        {
            if (oldBudgets[i] == 0) continue;
            int slot = (int)(Scramble(oldKeys[i]) & (ulong)mask);
            while (budgets[slot] != 0) slot = (slot + 1) & mask;
            keys[slot] = oldKeys[i];
            budgets[slot] = oldBudgets[i];
        }
    }
}
