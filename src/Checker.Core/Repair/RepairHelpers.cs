using System.Collections.Immutable;
using Checker.Language;
using Checker.Text;
using Checker.Vocabulary;

namespace Checker.Repair;

/// <summary>
/// Issue 15: the repairs outside the path — when no edit of where the path calls things removes a violation, the fix is
/// inside a kernel helper or a driver. A helper change is a release rule taken at its next change after the file's
/// release (the header <c>patch RULE</c>: the backport, or the proposed change of the helper); an op that only a later
/// release has (<c>tlb_flush_rmaps</c>, <c>iommu_sva_invalidate_kva_range</c>) may be inserted together with the patch
/// that makes it exist; a driver change turns a <c>secondary shadow</c> mode that is a driver bug into its fixed mode
/// (<see cref="ShadowModeInfo.Fix"/>), or a device that keeps its entry on a fault into one whose driver drops it. Each
/// costs more than any edit of the path, a driver change more than a helper change (<see cref="RepairCost"/>).
/// </summary>
internal static class RepairHelpers
{
    /// <summary>Ops a later release has, inserted with the patch of the rule they need, and when they are proposed.</summary>
    private static readonly (OpCode Op, Func<Ordering, bool> Applies)[] LaterOps =
    [
        (OpCode.TlbFlushRmaps, o => o.FileRanges.Count > 0), // 5df397dec7c4 (v6.2): the delayed rmaps of dirty file pages
        (OpCode.IommuSvaInvalidateKvaRange, o => o.PageTables && o.Devices.Count > 0), // e37d5a2d60a3 (v6.19)
    ];

    /// <summary>The helper and driver changes of <paramref name="ordering"/>: a <c>patch</c> of each rule the model asks
    /// that changes after the file's release (and is not patched yet), each later op inserted with its patch at every
    /// position a path insert may take (<paramref name="positions"/>: per kernel thread, the first), and each shadow
    /// mode that is a driver bug fixed.</summary>
    public static List<RepairEdit> Candidates(Ordering ordering, IReadOnlyList<int> positions)
    {
        var edits = new List<RepairEdit>();
        var release = ordering.Kernel;
        var rules = ordering.Rules;
        var patched = new HashSet<ReleaseRule>();
        foreach (var p in ordering.Patches) patched.Add(p.Rule);
        foreach (var row in ReleaseRuleInfo.All)
            if (row.AskedByModel && !patched.Contains(row.Rule) && row.LaterIn(release) is not null)
                edits.Add(new RepairEdit(RepairEditKind.Patch, -1, 0, null, Rule: row.Rule));

        foreach (var (op, applies) in LaterOps)
        {
            var info = OpInfo.Of(op);
            if (info.AvailableIn(rules) || info.Requires is not { } need || patched.Contains(need)) continue;
            if (ReleaseRuleInfo.Of(need).LaterIn(release) is not true || !applies(ordering)) continue;
            for (int t = 0; t < ordering.Threads.Count; t++)
            {
                if (ordering.Threads[t].Kind != ThreadKind.Kernel) continue;
                for (int p = positions[t]; p <= ordering.Threads[t].Ops.Count; p++)
                    edits.Add(new RepairEdit(RepairEditKind.Insert, t, p, new OpLine(op), Rule: need));
            }
        }

        for (int h = 0; h < ordering.Headers.Count; h++)
            if (Fixed(ordering.Headers[h]) is not null) edits.Add(new RepairEdit(RepairEditKind.Driver, -1, h, null));
        return edits;
    }

    /// <summary>The headers with the header edits of <paramref name="edits"/> applied: each needed <c>patch</c> line
    /// (sorted by rule, before the <c>expect</c> line) and each driver line fixed, counted in <paramref name="helperChanges"/> and
    /// <paramref name="driverChanges"/>.</summary>
    public static EquatableArray<HeaderLine> Headers(Ordering original, IReadOnlyList<RepairEdit> edits, Func<RepairEdit, string?>? annotate,
        out int helperChanges, out int driverChanges)
    {
        helperChanges = driverChanges = 0;
        var patches = new SortedDictionary<ReleaseRule, string?>();
        var drivers = new Dictionary<int, string?>();
        var had = new HashSet<ReleaseRule>();
        foreach (var p in original.Patches) had.Add(p.Rule);
        foreach (var e in edits)
        {
            if (e.Kind == RepairEditKind.Driver) drivers[e.Position] = annotate?.Invoke(e);
            else if (e.Rule is { } rule && !had.Contains(rule))
            {
                string? note = annotate is null ? null
                    : e.Kind == RepairEditKind.Patch ? annotate(e)
                    : $"# repair: needed by the inserted '{e.Line}'";
                if (!patches.TryGetValue(rule, out var old) || (old is not null && e.Kind == RepairEditKind.Patch)) patches[rule] = note ?? old;
            }
        }
        if (patches.Count == 0 && drivers.Count == 0) return original.Headers;
        helperChanges = patches.Count;
        driverChanges = drivers.Count;

        var headers = ImmutableArray.CreateBuilder<HeaderLine>();
        int expect = -1;
        for (int h = 0; h < original.Headers.Count && expect < 0; h++)
            if (original.Headers[h] is HeaderLine.Expect) expect = h;
        void AddPatches()
        {
            foreach (var (rule, note) in patches)
                headers.Add(new HeaderLine.Patch(rule, SourcePos.None) { Trivia = note is null ? Trivia.None : new Trivia(EquatableArray<string>.Empty, note) });
        }
        for (int h = 0; h < original.Headers.Count; h++)
        {
            if (h == expect) AddPatches();
            var header = original.Headers[h];
            if (drivers.TryGetValue(h, out var note) && Fixed(header) is { } fixedHeader)
            {
                var trailing = note is null ? header.Trivia.Trailing : header.Trivia.Trailing is { } c ? c + " " + note : note;
                header = fixedHeader with { Trivia = new Trivia(header.Trivia.Leading, trailing) };
            }
            headers.Add(header);
        }
        if (expect < 0) AddPatches();
        return new EquatableArray<HeaderLine>(headers.ToImmutable());
    }

    /// <summary>A helper change in words: the line, the helper's later behaviour, its commit and release.</summary>
    public static string DescribePatch(ReleaseRule rule, Ordering ordering)
    {
        var row = ReleaseRuleInfo.Of(rule);
        var release = ordering.Kernel;
        string change = row.LaterIn(release) is true ? $"from {row.NextChangeAfter(release)}" : $"until {row.NextChangeAfter(release)?.Previous}";
        return $"'patch {row.Name}' — no edit of the path removes it; the fix is inside the kernel helper ({row.NextChangeCommit(release)}), "
            + $"modelled at its later behaviour (rule {row.Name} holds {change}: {row.Meaning})";
    }

    /// <summary>The commit and release a <c>patch</c> line brings in, for the diff's annotation.</summary>
    public static string PatchOrigin(ReleaseRule rule, Ordering ordering)
    {
        var row = ReleaseRuleInfo.Of(rule);
        return $"the helper change of {row.NextChangeCommit(ordering.Kernel)}";
    }

    /// <summary>The secondary line a driver fix gives, or null when the line is no driver bug: a shadow mode with a
    /// <see cref="ShadowModeInfo.Fix"/>; an SVA device that keeps its entry on a fault (SMMUv3 without BTM) becomes one
    /// whose driver drops the faulting entry before it resumes the device (a proposed driver change: the SMMU then
    /// walks again and finds the upgraded PTE).</summary>
    public static HeaderLine? Fixed(HeaderLine header) => header switch
    {
        HeaderLine.Shadow s when ShadowModeInfo.Of(s.Mode).Fix is { } fix => new HeaderLine.Shadow(fix, true, s.Pos),
        HeaderLine.Sva { KeepsEntryOnFault: true } d => d with { KeepsEntryOnFault = false },
        _ => null,
    };

    /// <summary>A driver change in words.</summary>
    public static string DescribeDriver(HeaderLine header, Ordering ordering)
    {
        var fixedHeader = Fixed(header)!;
        string why = header is HeaderLine.Shadow { Mode: var mode }
            ? "the fix is inside the driver: " + ShadowModeInfo.Of(ShadowModeInfo.Of(mode).Fix!.Value).Protocol
            : "the fix is inside the driver: its fault handler drops the faulting IOTLB entry before it resumes the device, so the device walks again and finds the upgraded PTE (a proposed change; an SMMUv3 without BTM keeps the entry)";
        return $"change '{OrderingPrinter.HeaderText(header)}' (line {header.Pos.Line}) to '{OrderingPrinter.HeaderText(fixedHeader)}' — no edit of the path removes it; {why}";
    }
}
