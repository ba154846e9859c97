using Checker.Exploration;
using Xunit;

namespace Checker.Properties.Exploration;

public class VisitedSetTests
{
    [Fact]
    public void AStateIsNewOnceAndAgainOnlyWithMoreBudget()
    {
        var set = new VisitedSet(16);
        Assert.True(set.TryVisit(0x1234_5678_9ABC_DEF0, 2));
        Assert.False(set.TryVisit(0x1234_5678_9ABC_DEF0, 2));
        Assert.False(set.TryVisit(0x1234_5678_9ABC_DEF0, 1));
        Assert.True(set.TryVisit(0x1234_5678_9ABC_DEF0, 3));
        Assert.Equal(1, set.Count);
    }

    [Fact]
    public void GrowingKeepsEveryStateFindable()
    {
        var set = new VisitedSet(16);
        var rng = new Rng(7);
        var hashes = new ulong[100_000];
        for (int i = 0; i < hashes.Length; i++)
        {
            hashes[i] = rng.Next();
            Assert.True(set.TryVisit(hashes[i], i % 5));
        }
        for (int i = 0; i < hashes.Length; i++) Assert.False(set.TryVisit(hashes[i], i % 5));
        Assert.Equal(hashes.Length, set.Count);
    }
}
