using Checker.Vocabulary;

namespace Checker.Language;

/// <summary>The language's keywords for arches, flavors, modes, states and conditions, both ways. Flavor and mode
/// words come from their tables (<see cref="DriverFlavorInfo"/>, <see cref="ShadowModeInfo"/>).</summary>
public static class Words
{
    /// <summary>The <c>arch</c> words, by <see cref="Arch"/>.</summary>
    public static readonly string[] Arches = ["x86", "arm64"];
    /// <summary>The driver flavor words, by <see cref="DriverFlavor"/>.</summary>
    public static readonly string[] Flavors = Names(DriverFlavorInfo.All, f => f.Name);
    /// <summary>The shadow mode words, by <see cref="ShadowMode"/>.</summary>
    public static readonly string[] ShadowModes = Names(ShadowModeInfo.All, m => m.Name);
    /// <summary>The PTE state words, by <see cref="PteState"/>.</summary>
    public static readonly string[] PteStates = ["none", "present", "readonly", "writable"];
    /// <summary>The condition words, by <see cref="ConditionKind"/>.</summary>
    public static readonly string[] Conditions =
        ["tlb_flush_pending", "tlb_flush_nested", "tlb_flush_batched", "pte_none", "pte_present", "pte_readonly", "pte_writable",
         // §8 dirty data (issue 13)
         "pte_dirty", "pte_protnone", "pte_accessible", "force_flush", "unflushed"];
    /// <summary>The header keywords, in the order a file writes them.</summary>
    public static readonly string[] Headers =
        ["ordering", "kernel", "arch", "pages", "readonly", "unmapped", "cpus", "secondary", "reuse", "environment", "expect", "source",
            // §7 the page-table tree
            "pagetables", "hugepage", "huge", "mm2", "kernel_pages", "gup_fast",
         // §8 dirty data (issue 13)
         "file", "alias", "lazyfree",
         // issue 15: a helper change
         "patch"];

    /// <summary>The word for an arch.</summary>
    public static string Of(Arch a) => Arches[(int)a];

    /// <summary>The word for a driver flavor.</summary>
    public static string Of(DriverFlavor f) => Flavors[(int)f];

    /// <summary>The word for a shadow mode.</summary>
    public static string Of(ShadowMode m) => ShadowModes[(int)m];

    /// <summary>Reads an arch word.</summary>
    public static bool TryArch(string s, out Arch a) => TryIndex(Arches, s, out a);

    /// <summary>Reads a driver flavor word.</summary>
    public static bool TryFlavor(string s, out DriverFlavor f) => TryIndex(Flavors, s, out f);

    /// <summary>Reads a shadow mode word.</summary>
    public static bool TryShadowMode(string s, out ShadowMode m) => TryIndex(ShadowModes, s, out m);

    /// <summary>Reads a PTE state word.</summary>
    public static bool TryPteState(string s, out PteState p) => TryIndex(PteStates, s, out p);

    /// <summary>Reads a condition word.</summary>
    public static bool TryCondition(string s, out ConditionKind c) => TryIndex(Conditions, s, out c);

    private static string[] Names<T>(IReadOnlyList<T> rows, Func<T, string> name)
    {
        var names = new string[rows.Count];
        for (int i = 0; i < names.Length; i++) names[i] = name(rows[i]);
        return names;
    }

    private static bool TryIndex<T>(string[] words, string s, out T value) where T : struct, Enum
    {
        int i = Array.IndexOf(words, s);
        value = i >= 0 ? (T)Enum.ToObject(typeof(T), i) : default;
        return i >= 0;
    }
}
