using Checker.Vocabulary;

namespace Checker.Language;

/// <summary>Issue 15: a <c>patch RULE</c> line names a rule the model asks, once, that changes after the file's release.</summary>
internal sealed partial class OrderingValidator
{
    private void CheckPatches()
    {
        var seen = new Dictionary<ReleaseRule, int>();
        var release = ordering.Kernel;
        foreach (var patch in ordering.Patches)
        {
            var row = ReleaseRuleInfo.Of(patch.Rule);
            if (seen.TryGetValue(patch.Rule, out int first))
                Error(patch.Pos, $"duplicate 'patch {row.Name}' (first at line {first})", "keep one of them");
            else if (!row.AskedByModel)
                Error(patch.Pos, $"rule {row.Name} is a fact for the paths, which the model never asks",
                    "write the ops the later kernel runs in the threads instead");
            else if (row.LaterIn(release) is null)
                Error(patch.Pos, $"rule {row.Name} does not change after kernel {release} (it holds in {row.Releases}; {row.Commits}): there is no later behaviour to patch in",
                    "remove the line; 'patch' models a helper's fix that the file's release does not have yet");
            seen.TryAdd(patch.Rule, patch.Pos.Line);
        }
    }
}
