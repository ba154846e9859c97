namespace Checker.Vocabulary;

/// <summary>What an op takes after its name.</summary>
public enum ArgShape : byte
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>A lock name.</summary>
    LockName,

    /// <summary>A range: <c>A B</c> or a single bound.</summary>
    Range,

    /// <summary>One page (a single bound).</summary>
    Page,

    /// <summary>A range and an optional <c>ro</c>.</summary>
    RangeOptionalRo,

    /// <summary>A range and <c>ro</c> or <c>rw</c>.</summary>
    RangeProtection,

    /// <summary>An optional range.</summary>
    OptionalRange,

    /// <summary><c>A B D</c>: source range and destination.</summary>
    Move,

    /// <summary><c>P none|present|readonly|writable</c>.</summary>
    Wait,

    /// <summary>One page number (environment accesses).</summary>
    EnvPage,

    // §7 the page-table tree
    /// <summary>One page (user or kernel <c>kP</c>) and an optional word (<c>ro</c>, <c>nobatch</c>).</summary>
    PageOptionalWord,

    /// <summary>One user page and a destination page (<c>P D</c>).</summary>
    PageMove,
}
