namespace Checker.Model;

/// <summary>
/// §7 <c>mm2</c> (issue 12): which mm a step acts on. A kernel thread runs on its mm (<c>thread NAME mm 1</c>), a CPU on
/// mm 0 or, numbered after mm 0's, mm 1 (<c>mm2 cpus K</c>), a GUP-fast walker on its line's mm, devices, shadows
/// and the allocator on mm 0. <see cref="EnterMm"/> points the state's view at that mm (and at the PTE/PMD content
/// of the PMD table its PUD points at); without <c>mm2</c> nothing here runs.
/// </summary>
internal partial class Machine
{
    private bool mm2;

    /// <summary>The mm actor <paramref name="actorIndex"/> acts on.</summary>
    private int ActorMm(int actorIndex)
    {
        var a = actors[actorIndex];
        return a.Kind switch
        {
            ActorKind.Thread => T.ThreadMm[a.Thread],
            ActorKind.Cpu => a.Unit >= T.Mm0Cpus ? 1 : 0,
            ActorKind.Gup => T.GupMm[a.Unit],
            _ => 0,
        };
    }

    /// <summary>Points the view at mm <paramref name="mm"/>: its fields, and the content set of its PMD table.</summary>
    private void EnterMm(int mm)
    {
        s.SelectMm(mm, mm == 0 ? 0 : s.Mm1ViewSet());
    }

    /// <summary><see cref="ThreadEnabled"/> judged on the thread's own mm (its locks, counters and PTEs).</summary>
    private bool ThreadEnabledOnItsMm(int thread)
    {
        int saved = s.SelectedMm;
        EnterMm(T.ThreadMm[thread]);
        bool enabled = ThreadEnabledHere(thread);
        EnterMm(saved);
        return enabled;
    }

    /// <summary><see cref="InertPages"/> judged on the actor's own mm.</summary>
    private void InertPagesOnItsMm(int actorIndex, out ulong read, out ulong write, out ulong prefetch)
    {
        int saved = s.SelectedMm;
        EnterMm(ActorMm(actorIndex));
        InertPages(actorIndex, out read, out write, out prefetch);
        EnterMm(saved);
    }
}
