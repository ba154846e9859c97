namespace Checker.Exploration;

/// <summary>How schedules are chosen (DESIGN §4).</summary>
public enum StrategyKind
{
    /// <summary>Exhaustive with bound 4 up to a state budget, then PCT for the schedule budget.</summary>
    Auto,

    /// <summary>Uniform over enabled actors.</summary>
    Random,

    /// <summary>Probabilistic concurrency testing with d change points (Burckhardt et al., ASPLOS'10).</summary>
    Pct,

    /// <summary>Every interleaving with at most K environment actions, with visited-state hashing.</summary>
    Exhaustive,
}
