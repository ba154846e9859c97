namespace Checker.Invariants;

/// <summary>
/// <c>access-after-return</c> (consequence): once a kernel thread whose PTE-changing ops (clear, zap,
/// downgrade, move source) covered page P has returned to user space, no actor reaches P through a stale
/// translation. munmap, mprotect, madvise, mremap and fork promise that on return (eb66ae030829 made mremap
/// flush before dropping the locks).
/// </summary>
internal static class AccessAfterReturn
{
    /// <summary>Called for an access through a stale translation: is the page covered by a returned thread?</summary>
    public static bool IsViolatedBy(ulong returnedCover, int page) => (returnedCover >> page & 1) != 0;
}
