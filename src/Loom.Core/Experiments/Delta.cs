using Loom.Config;

namespace Loom.Experiments;

/// <summary>
/// Dora's delta in Hydra mode: `(group, option)` for each config group whose option differs from
/// config.yaml's, then the leaf differences between the base config (same group choices, no other
/// override) and the final config — dotted keys, depth first, keys sorted at each level, Python equality.
/// Dora asserts both configs have the same keys; Loom allows `+`/`~`, so an added key (or each leaf of an
/// added mapping) enters with its value and a removed key enters as `~key` with value null.
/// Finally keys matching an exclude pattern (fnmatch, from `loom.exclude`) are dropped.
/// </summary>
public static class Delta
{
    public const string ExcludeKey = "loom.exclude";

    public static IReadOnlyList<DeltaItem> Compute(ComposedConfig composed) =>
        Compute(composed.DefaultGroupChoices, composed.GroupChoices, composed.Base, composed.Config, ExcludePatterns(composed.Config));

    public static IReadOnlyList<DeltaItem> Compute(
        IReadOnlyList<KeyValuePair<string, string>> defaultChoices,
        IReadOnlyList<KeyValuePair<string, string>> choices,
        ConfigNode baseConfig, ConfigNode config, IReadOnlyList<string> exclude)
    {
        var delta = new List<DeltaItem>();
        var defaults = defaultChoices.ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var (group, option) in choices)
            if (!defaults.TryGetValue(group, out var original) || original != option) delta.Add(new(group, option));
        foreach (var (group, _) in defaultChoices)
            if (!choices.Any(c => c.Key == group)) delta.Add(new(group, null)); // group removed with ~group
        Compare(baseConfig, config, "", delta);
        return delta.Where(d => !exclude.Any(p => Fnmatch.Matches(d.Key, p))).ToList();
    }

    /// <summary>The `loom.exclude` list of the config (strings), empty when absent.</summary>
    public static IReadOnlyList<string> ExcludePatterns(ConfigNode config)
    {
        if (!ConfigPath.TryFind(config, ExcludeKey, out var raw) || raw is null) return [];
        if (raw is List<object?> list && list.All(x => x is string)) return list.Cast<string>().ToList();
        throw new ConfigException($"key '{ExcludeKey}': value {ConfigPath.Describe(raw)} is not a list of strings (fnmatch patterns)");
    }

    static void Compare(ConfigNode reference, ConfigNode other, string prefix, List<DeltaItem> delta)
    {
        var keys = reference.Keys.Union(other.Keys).OrderBy(k => k, PyStringComparer.Instance);
        foreach (var key in keys)
        {
            string path = prefix.Length == 0 ? key : prefix + "." + key;
            bool inRef = reference.TryGetChild(key, out var refValue);
            bool inOther = other.TryGetChild(key, out var otherValue);
            if (!inOther) { delta.Add(new("~" + path, null)); continue; }
            if (!inRef && otherValue is ConfigNode added) { Compare(new ConfigNode(), added, path, delta); continue; }
            if (!inRef) { delta.Add(new(path, otherValue)); continue; }
            if (refValue is ConfigNode r && otherValue is ConfigNode o) Compare(r, o, path, delta);
            else if (!PyEquality.AreEqual(refValue, otherValue)) delta.Add(new(path, otherValue));
        }
    }
}
