using Loom.Config;

namespace Loom.Experiments;

/// <summary>
/// Dora's short XP names: each delta entry as `key=value` (Python's str of the value) with every dotted
/// part but the last cut to 3 characters (`optim.lr` → `opt.lr`), `true` as the bare key, joined by spaces.
/// In a grid, the entries shared (same key, equal value) by every XP form the base name, printed once.
/// </summary>
public static class XpName
{
    /// <summary>The name of one XP; "" for the default XP (empty delta).</summary>
    public static string For(IEnumerable<DeltaItem> delta) => string.Join(" ", delta.Select(d => Part(d.Key, d.Value)));

    public static string Part(string key, object? value)
    {
        var parts = key.Split('.');
        string shortKey = string.Join('.', parts[..^1].Select(p => p.Length > 3 ? p[..3] : p).Append(parts[^1]));
        return value is true ? shortKey : $"{shortKey}={ScalarText.Format(value)}";
    }

    /// <summary>Names of a grid's XPs: the shared base name and, for each XP, the name of what remains.</summary>
    public static (string BaseName, IReadOnlyList<string> Names) ForGrid(IReadOnlyList<IReadOnlyList<DeltaItem>> deltas)
    {
        if (deltas.Count == 0) return ("", []);
        var reference = deltas[0].ToList();
        foreach (var delta in deltas.Skip(1))
            reference.RemoveAll(r => !delta.Any(d => d.Key == r.Key && PyEquality.AreEqual(d.Value, r.Value)));
        var shared = reference.Select(r => r.Key).ToHashSet();
        var names = deltas.Select(d => For(d.Where(x => !shared.Contains(x.Key)))).ToList();
        return (For(reference), names);
    }
}
