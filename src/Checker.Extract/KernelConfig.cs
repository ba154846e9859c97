using System.Globalization;

namespace Checker.Extract;

/// <summary>
/// A kernel <c>.config</c> (Debian ships them in <c>linux-config-*</c>): CONFIG_ name → value ("y", "m", a number or
/// a string). An option the file does not set is off — the same as the kernel's "# CONFIG_X is not set" — and so
/// is every option when no config is given at all (the drafts then follow the #else branches).
/// </summary>
public sealed class KernelConfig
{
    private readonly Dictionary<string, string> values;

    private KernelConfig(Dictionary<string, string> values, string? path) => (this.values, Path) = (values, path);

    /// <summary>The file the config was read from, or null for the empty config.</summary>
    public string? Path { get; }

    public static KernelConfig Empty { get; } = new([], null);

    public static KernelConfig Parse(string text, string? path = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            int eq = line.IndexOf('=');
            if (eq <= 0) continue;
            values[line[..eq]] = line[(eq + 1)..].Trim('"');
        }
        return new KernelConfig(values, path);
    }

    public static KernelConfig Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Builds a config from NAME=VALUE pairs (tests).</summary>
    public static KernelConfig Of(params (string Name, string Value)[] pairs)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (n, v) in pairs) values[n] = v;
        return new KernelConfig(values, null);
    }

    public bool IsBuiltin(string name) => values.TryGetValue(name, out var v) && v == "y";
    public bool IsModule(string name) => values.TryGetValue(name, out var v) && v == "m";
    public bool IsEnabled(string name) => IsBuiltin(name) || IsModule(name);

    /// <summary>What the preprocessor sees for the name: defined only when built in or given a value.</summary>
    public bool IsDefined(string name) =>
        values.TryGetValue(name, out var v) && v != "m" && v != "n" || name.EndsWith("_MODULE", StringComparison.Ordinal) && IsModule(name[..^7]);

    /// <summary>The value in an #if expression: y → 1, a number → itself, anything else set → 1, unset → 0.</summary>
    public long Value(string name)
    {
        if (!IsDefined(name)) return 0;
        if (!values.TryGetValue(name, out var v)) return 1;
        if (v == "y") return 1;
        if (v.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(v.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long hex)) return hex;
        return long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : 1;
    }
}

/// <summary>The release a tree is, from its top-level Makefile's VERSION / PATCHLEVEL / SUBLEVEL lines.</summary>
public readonly record struct TreeVersion(int Version, int PatchLevel, int SubLevel)
{
    /// <summary>"6.12" — what a draft's <c>kernel</c> line says.</summary>
    public string Release => $"{Version}.{PatchLevel}";

    public override string ToString() => $"{Version}.{PatchLevel}.{SubLevel}";

    public static TreeVersion? Read(string srcDir)
    {
        var makefile = System.IO.Path.Combine(srcDir, "Makefile");
        if (!File.Exists(makefile)) return null;
        int v = -1, p = -1, s = 0;
        foreach (var raw in File.ReadLines(makefile).Take(20))
        {
            var parts = raw.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)) continue;
            switch (parts[0])
            {
                case "VERSION": v = n; break;
                case "PATCHLEVEL": p = n; break;
                case "SUBLEVEL": s = n; break;
            }
        }
        return v < 0 || p < 0 ? null : new TreeVersion(v, p, s);
    }
}
