using Checker.Vocabulary;
using Xunit;
using static Checker.Properties.Support.Models;

namespace Checker.Properties.Dirty;

/// <summary>DESIGN §7 and §8 together: with the page-table tree on, a walk that reads the live PTE follows §8.2 — a
/// write walk sets D, the entry caches D at fill, a store through a D = 1 entry touches no PTE, PROT_NONE fails the
/// walk. Each case runs the same schedule with and without <c>pagetables</c> and expects the same outcome.</summary>
public sealed class TreeWithDirtyTests
{
    private static string Ordering(bool tree) => (tree ? "pagetables\n" : "") + """
        kernel 6.1
        pages 2
        cpus 1
        file 0 1
        thread t
          tlb_gather_mmu
          zap_pte_range 0
          tlb_finish_mmu
        thread w
          writeback 0
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AStoreWalkSetsTheDirtyBitSoNothingIsOwed(bool tree) =>
        AssertNoViolation(Run(Ordering(tree), """
            cpu0: write 0
            w: writeback 0
            cpu0: write 0
            """));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AStoreThroughAStaleDirtyEntryAfterWritebackIsLost(bool tree) =>
        AssertViolation(Run(Ordering(tree), """
            cpu0: write 0
            t: tlb_gather_mmu
            t: zap_pte_range 0
            w: writeback 0
            cpu0: write 0
            """), InvariantId.LostDirty, step: 5);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AProtnonePteFailsTheWalk(bool tree)
    {
        string text = (tree ? "pagetables\n" : "") + """
            kernel 6.1
            pages 2
            cpus 1
            file 0 1
            thread n
              change_prot_numa 0 1
            """;
        var (result, machine) = RunWithMachine(text, "n*1\ncpu0: read 0");
        AssertNoViolation(result);
        Assert.Equal(0UL, Tlb(machine));
    }
}
