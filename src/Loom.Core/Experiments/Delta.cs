using Loom.Config;

namespace Loom.Experiments;

/// <summary>
/// Dora's delta in Hydra mode (dora/hydra.py, `get_xp`): first `(group, text)` for each override of the
/// command line that starts with `group=`, in command-line order and with the text after '=' as typed —
/// even the default option (`model=cnn` is a delta entry) — then `_compare_config(base, final)`: the base
/// config is config.yaml composed with those group overrides only. At each level, the base's keys in sorted order
/// (mappings recursed into, other values compared with Python's `==`), then the keys only the final
/// config has, sorted, each yielded whole (`+extra={a: 1}` is one entry, its dict in insertion order).
/// Dora refuses a deleted key; Loom records it as `~key` with value null, in the place of the key.
/// Finally keys matching an exclude pattern (fnmatch, from `loom.exclude`) are dropped.
/// </summary>
public static class Delta
{
    public const string ExcludeKey = "loom.exclude";

    public static IReadOnlyList<DeltaItem> Compute(ComposedConfig composed) =>
        Compute(composed.GroupOverrides, composed.Base, composed.Config, ExcludePatterns(composed.Config));

    public static IReadOnlyList<DeltaItem> Compute(
        IReadOnlyList<KeyValuePair<string, string>> groupOverrides,
        ConfigNode baseConfig, ConfigNode config, IReadOnlyList<string> exclude)
    {
        var delta = groupOverrides.Select(g => new DeltaItem(g.Key, g.Value)).ToList();
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
        foreach (var key in reference.Keys.OrderBy(k => k, PyStringComparer.Instance))
        {
            string path = Join(prefix, key);
            var refValue = reference[key];
            if (!other.TryGetChild(key, out var otherValue)) delta.Add(new("~" + path, null));
            else if (refValue is ConfigNode r && otherValue is ConfigNode o) Compare(r, o, path, delta);
            else if (!PyEquality.AreEqual(refValue, otherValue)) delta.Add(new(path, otherValue));
        }
        foreach (var key in other.Keys.Where(k => !reference.ContainsKey(k)).OrderBy(k => k, PyStringComparer.Instance))
            delta.Add(new(Join(prefix, key), other[key]));
    }

    static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "." + key;
}
