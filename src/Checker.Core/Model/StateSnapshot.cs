using System.Text;
using Checker.Model;
using Checker.Text;

namespace Checker.Model;

/// <summary>
/// A readable copy of the model state, built only when reporting (never on the hot path). Cells use a
/// compact notation per page: <c>f3w</c> = frame 3 writable, <c>f3r</c> = read-only, <c>-</c> = none / no
/// entry; a translation more permissive than the PTE is marked <c>!</c> (stale).
/// </summary>
public sealed record StateSnapshot(
    string Pte,
    EquatableArray<string> Tlbs,
    EquatableArray<string> Iotlbs,
    EquatableArray<string> Sptes,
    string Frames,
    string Mm)
{
    public static StateSnapshot Of(Machine machine)
    {
        var s = machine.State;
        var program = machine.Program;
        var pte = new StringBuilder();
        for (int p = 0; p < s.Pages; p++)
        {
            if (p > 0) pte.Append(' ');
            ulong bit = 1UL << p;
            pte.Append((s.W[s.PtePresent] & bit) == 0 ? "-" : Cell(s.I[s.PteFrame + p], (s.W[s.PteWritable] & bit) != 0, false));
        }
        var tlbs = new string[s.Cpus];
        for (int c = 0; c < s.Cpus; c++) tlbs[c] = Entries(s, s.W[s.TlbValid + c], s.W[s.TlbWritable + c], s.TlbFrame + c * s.Pages);
        var iotlbs = new string[s.Devices];
        for (int d = 0; d < s.Devices; d++) iotlbs[d] = Entries(s, s.W[s.IotlbValid + d], s.W[s.IotlbWritable + d], s.IotlbFrame + d * s.Pages);
        var sptes = new string[s.Shadows];
        for (int h = 0; h < s.Shadows; h++) sptes[h] = Entries(s, s.W[s.SpteValid + h], s.W[s.SpteWritable + h], s.SpteFrame + h * s.Pages);

        var frames = new StringBuilder();
        int count = s.I[s.FrameCount];
        for (int f = 0; f < count; f++)
        {
            int owner = s.I[s.FrameOwner + f];
            if (owner == ModelState.OwnerOther && s.I[s.FrameRef + f] == 0 && f < s.Pages && (program.InitialPresent >> f & 1) == 0) continue;
            if (frames.Length > 0) frames.Append(' ');
            frames.Append('f').Append(f).Append(':').Append(owner switch
            {
                ModelState.OwnerMm => "mm/" + s.I[s.FrameRef + f],
                ModelState.OwnerFree => "free",
                _ => "other",
            });
            if (s.I[s.FrameCopied + f] != 0) frames.Append('c');
        }
        string mm = $"tlb_flush_pending={s.I[s.TlbFlushPending]} tlb_flush_batched={s.I[s.TlbFlushBatched]} "
            + $"invalidations={s.I[s.ActiveInvalidations]} seq={s.I[s.Seq]}{(s.I[s.Attached] == 0 && program.HasSecondaries ? " released" : "")}";
        return new StateSnapshot(pte.ToString(), tlbs.ToImmutableArrayOrEmpty(), iotlbs.ToImmutableArrayOrEmpty(),
            sptes.ToImmutableArrayOrEmpty(), frames.ToString(), mm);
    }

    private static string Entries(ModelState s, ulong valid, ulong writable, int frameBase)
    {
        var sb = new StringBuilder();
        for (int p = 0; p < s.Pages; p++)
        {
            if (p > 0) sb.Append(' ');
            ulong bit = 1UL << p;
            if ((valid & bit) == 0)
            {
                sb.Append('.');
                continue;
            }
            int frame = s.I[frameBase + p];
            bool w = (writable & bit) != 0;
            bool stale = Invariants.StaleSecondaryAfterFlush.IsStale(frame, w, (s.W[s.PtePresent] & bit) != 0, s.I[s.PteFrame + p], (s.W[s.PteWritable] & bit) != 0);
            sb.Append(Cell(frame, w, stale));
        }
        return sb.ToString();
    }

    private static string Cell(int frame, bool writable, bool stale) => "f" + frame + (writable ? "w" : "r") + (stale ? "!" : "");
}
