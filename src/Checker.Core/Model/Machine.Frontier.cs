namespace Checker.Model;

/// <summary>Exhaustive search's frontier (issue 14, parallel search): states stored flat, outside a <see cref="ModelState"/>.</summary>
internal partial class Machine
{
    /// <summary>Restores a state stored flat as its <see cref="ModelState.W"/> and <see cref="ModelState.I"/> words;
    /// contents are left as they are (as <see cref="Restore(ModelState, int, int, bool)"/> without contents).</summary>
    public void Restore(ReadOnlySpan<ulong> words, ReadOnlySpan<int> ints, int envRemaining, int steps)
    {
        words.CopyTo(w);
        ints.CopyTo(i);
        EnvRemaining = envRemaining;
        Steps = steps;
    }
}
