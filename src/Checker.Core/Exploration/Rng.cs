namespace Checker.Exploration;

/// <summary>
/// SplitMix64: the one seeded PRNG of a run, passed explicitly. Every schedule draws from its own generator
/// derived from (run seed, schedule index), so a result does not depend on how schedules are spread over
/// jobs or shards.
/// </summary>
internal struct Rng
{
    private ulong state;

    public Rng(ulong seed) => state = seed;

    public ulong Next()
    {
        unchecked
        {
            ulong z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>Uniform in [0, n) (n &gt; 0).</summary>
    public int Below(int n) => (int)(((Next() >> 32) * (ulong)(uint)n) >> 32);

    /// <summary>The seed of schedule <paramref name="index"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static ulong Derive(ulong seed, long index)
    {
        var r = new Rng(seed ^ unchecked((ulong)index * 0xD1B54A32D192ED03UL));
        r.Next();
        return r.Next();
    }
}
