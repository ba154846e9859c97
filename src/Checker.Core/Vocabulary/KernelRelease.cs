using System.Globalization;

namespace Checker.Vocabulary;

/// <summary>
/// A mainline kernel release, <c>X.Y</c> (DESIGN §3.7). A stable suffix <c>.Z</c> is kept for printing but does
/// not change the model: stable backports are not modelled, a release means mainline. Releases compare by
/// (major, minor). Every behaviour that differs between releases is a row of <see cref="ReleaseRuleInfo"/>; the
/// model asks those rows (<see cref="RuleSet"/>), never compares releases itself.
/// </summary>
public readonly record struct KernelRelease(int Major, int Minor, int Patch = 0) : IComparable<KernelRelease>
{
    /// <summary>The oldest release the model covers.</summary>
    public static readonly KernelRelease Oldest = new(3, 10);

    /// <summary>What a file without a <c>kernel</c> line models.</summary>
    public static readonly KernelRelease Default = new(6, 6);

    /// <summary>The newest release the rule table knows; a newer one is modelled as this one, with a warning.</summary>
    public static readonly KernelRelease NewestKnown = new(6, 19);

    /// <summary>The last minor release of each finished mainline series (3.19 was followed by 4.0, 4.20 by 5.0,
    /// 5.19 by 6.0, 6.19 by 7.0).</summary>
    private static readonly (int Major, int LastMinor)[] Series = [(3, 19), (4, 20), (5, 19), (6, 19)];

    /// <inheritdoc/>
    public int CompareTo(KernelRelease other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    /// <inheritdoc/>
    public static bool operator <(KernelRelease a, KernelRelease b) => a.CompareTo(b) < 0;

    /// <inheritdoc/>
    public static bool operator >(KernelRelease a, KernelRelease b) => a.CompareTo(b) > 0;

    /// <inheritdoc/>
    public static bool operator <=(KernelRelease a, KernelRelease b) => a.CompareTo(b) <= 0;

    /// <inheritdoc/>
    public static bool operator >=(KernelRelease a, KernelRelease b) => a.CompareTo(b) >= 0;

    /// <summary>The release the rules are evaluated at: the mainline X.Y, and at most <see cref="NewestKnown"/>.</summary>
    public KernelRelease Modelled => this > NewestKnown ? NewestKnown : new KernelRelease(Major, Minor);

    /// <summary>The mainline release before this one (4.0 → 3.19, 5.0 → 4.20, 6.0 → 5.19, 7.0 → 6.19).</summary>
    public KernelRelease Previous
    {
        get
        {
            if (Minor > 0) return new KernelRelease(Major, Minor - 1);
            foreach (var (m, last) in Series)
                if (m == Major - 1) return new KernelRelease(m, last);
            throw new InvalidOperationException($"no mainline release before {this} is known");
        }
    }

    /// <summary>True when the rule table knows nothing newer than this release's predecessors.</summary>
    public bool IsNewerThanKnown => this > NewestKnown;

    /// <inheritdoc/>
    public override string ToString() =>
        Patch > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}")
            : string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");

    /// <summary>Parses <c>X.Y</c> or <c>X.Y.Z</c>; on failure <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryParse(string text, out KernelRelease release, out string? problem)
    {
        release = default;
        problem = null;
        var parts = text.Split('.');
        if (parts.Length is < 2 or > 3 || !Number(parts[0], out int major) || !Number(parts[1], out int minor))
        {
            problem = $"'{text}' is not a release";
            return false;
        }
        int patch = 0;
        if (parts.Length == 3 && !Number(parts[2], out patch))
        {
            problem = $"'{text}' is not a release";
            return false;
        }
        var r = new KernelRelease(major, minor, patch);
        if (r < Oldest)
        {
            problem = $"kernel {r} is older than the oldest release modelled ({Oldest})";
            return false;
        }
        foreach (var (m, last) in Series)
        {
            if (m == major && minor > last)
            {
                problem = $"there is no mainline release {major}.{minor}: {major}.{last} was followed by {major + 1}.0";
                return false;
            }
        }
        release = r;
        return true;
    }

    private static bool Number(string s, out int value)
    {
        value = 0;
        if (s.Length is 0 or > 3) return false;
        foreach (char c in s)
            if (c is < '0' or > '9') return false;
        if (s.Length > 1 && s[0] == '0') return false;
        value = int.Parse(s, CultureInfo.InvariantCulture);
        return true;
    }
}
