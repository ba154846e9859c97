namespace Checker.Model;

/// <summary>
/// §7 (issue 12): an explicit GUP-fast walker, <c>thread NAME gup K</c>. Its <c>gup_fast P</c> is the walk of §7.2 as
/// three steps of the thread (g1 reads the PUD and opens the IRQs-off window, g2 the PMD entry, g3 the PTE), like a
/// generated walker's; the thread stays on the op until the walk ends. It walks with a walker of its own (laid out
/// after the generated ones), so §7.6 rules 4 and 5 count it like any walker, and of the K-th <c>gup_fast</c> line's mm.
/// </summary>
internal partial class Machine
{
    /// <summary>One step of thread t's <c>gup_fast P</c>; true once its walk has ended (the op is done).</summary>
    private bool ExplicitGupStep(int t, int page)
    {
        int g = T.ThreadWalker[t];
        GupStep(g, page);
        return i[s.GupPhase + g] == 0;
    }

    /// <summary>The phase of an explicit GUP-fast thread's walk (0 before g1, 1 after g1, 2 after g2); 0 for other threads.</summary>
    public int ThreadGupPhase(int thread) => tree is null || T.ThreadWalker[thread] < 0 ? 0 : i[s.GupPhase + T.ThreadWalker[thread]];
}
