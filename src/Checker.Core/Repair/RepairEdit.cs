using Checker.Language;
using Checker.Vocabulary;

namespace Checker.Repair;

/// <summary>What a repair edit does to one kernel thread (issue 15).</summary>
internal enum RepairEditKind
{
    /// <summary>Insert <see cref="RepairEdit.Line"/> before original op <see cref="RepairEdit.Position"/>.</summary>
    Insert,

    /// <summary>Move original op <see cref="RepairEdit.From"/> to before original op <see cref="RepairEdit.Position"/>.</summary>
    Move,

    /// <summary>Insert <see cref="RepairEdit.Line"/> (a start) before op <see cref="RepairEdit.Position"/> and
    /// <see cref="RepairEdit.Closing"/> (its end) before op <see cref="RepairEdit.End"/>.</summary>
    Wrap,

    /// <summary>(--optimize) drop original op <see cref="RepairEdit.From"/>, a secondary invalidation no schedule needs.</summary>
    Remove,

    /// <summary>(--optimize) replace original op <see cref="RepairEdit.From"/> by <see cref="RepairEdit.Line"/>
    /// (<c>invalidate_range_end</c> → <c>invalidate_range_only_end</c>: the double notification dropped).</summary>
    Replace,

    // issue 15: fixes inside a helper or a driver, tried only after every edit of the path
    /// <summary>Add the header <c>patch <see cref="RepairEdit.Rule"/></c>: the kernel helper the rule describes, at its
    /// later (fixed) behaviour. <see cref="RepairEdit.Thread"/> is -1.</summary>
    Patch,

    /// <summary>Replace header <see cref="RepairEdit.Position"/>, a <c>secondary</c> line whose driver behaviour is a
    /// bug, by the line its fix gives (<see cref="RepairHelpers.Fixed"/>). <see cref="RepairEdit.Thread"/> is -1.</summary>
    Driver,
}

/// <summary>One candidate edit of a kernel thread of an ordering. Positions are indices into the thread's
/// original op list; <c>Position == ops.Count</c> means "at the end of the thread". Edits never delete or reorder
/// other ops: an insert adds one line, a move shifts one flush or invalidation within its thread, a wrap adds a
/// balanced start/end pair around a run of ops.</summary>
/// <remarks>Issue 15: an insert with a <see cref="Rule"/> inserts an op the file's release does not have yet, and so also
/// adds <c>patch Rule</c> (a helper change); <see cref="RepairEditKind.Patch"/> and <see cref="RepairEditKind.Driver"/>
/// edit the header.</remarks>
internal sealed record RepairEdit(RepairEditKind Kind, int Thread, int Position, OpLine? Line, int From = -1, int End = -1,
    OpLine? Closing = null, ReleaseRule? Rule = null)
{
    /// <summary>A stable text naming the edit, for tie-breaking and for --all's listing.</summary>
    public string Key => $"{Kind}:{Thread}:{Position}:{From}:{End}:{Line}:{Closing}:{Rule}";

    /// <summary>True for an edit outside the path: a helper change (a <c>patch</c> line) or a driver change.</summary>
    public bool ChangesHelper => Kind is RepairEditKind.Patch or RepairEditKind.Driver || Rule is not null;

    /// <summary>The edit in words, with the thread's name and the ops it sits next to.</summary>
    public string Describe(Ordering ordering)
    {
        if (Kind == RepairEditKind.Patch) return RepairHelpers.DescribePatch(Rule!.Value, ordering);
        if (Kind == RepairEditKind.Driver) return RepairHelpers.DescribeDriver(ordering.Headers[Position], ordering);
        var thread = ordering.Threads[Thread];
        var ops = thread.Ops;
        string Where(int p) => p == 0 ? $"at the start of {thread.Name}"
            : $"after '{ops[p - 1]}' (line {ops[p - 1].Pos.Line})";
        return Kind switch
        {
            RepairEditKind.Insert when Rule is { } rule => $"insert '{Line}' in {thread.Name} {Where(Position)}, with " + RepairHelpers.DescribePatch(rule, ordering),
            RepairEditKind.Insert => $"insert '{Line}' in {thread.Name} {Where(Position)}",
            RepairEditKind.Move => $"move '{ops[From]}' (line {ops[From].Pos.Line}) in {thread.Name} to {Where(Position)}",
            RepairEditKind.Wrap => $"wrap lines {ops[Position].Pos.Line}-{ops[End - 1].Pos.Line} of {thread.Name} in '{Line}' … '{Closing}'",
            RepairEditKind.Remove => $"remove '{ops[From]}' (line {ops[From].Pos.Line}) from {thread.Name}: no schedule needs it",
            _ => $"replace '{ops[From]}' (line {ops[From].Pos.Line}) in {thread.Name} by '{Line}': its secondary invalidation is a double notification",
        };
    }
}
