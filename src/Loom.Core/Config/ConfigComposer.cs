namespace Loom.Config;

/// <summary>
/// Hydra's composition for a conf folder: `config.yaml` with its defaults list, `&lt;group&gt;/&lt;option&gt;.yaml`
/// placed under key `&lt;group&gt;` (or at the root with `# @package _global_`), then the command-line overrides
/// in order, then interpolation. A group file's defaults list may only override other groups' default options
/// (<see cref="GroupOptionDefaults"/>).
/// </summary>
public static class ConfigComposer
{
    public const string PrimaryFile = "config.yaml";

    public static ComposedConfig Compose(string confDir, IReadOnlyList<string> overrides)
    {
        string primaryPath = Path.Combine(confDir, PrimaryFile);
        if (!File.Exists(primaryPath))
            throw new ConfigException($"{primaryPath}: no such file (a conf folder must hold {PrimaryFile})");
        var primary = YamlLoader.LoadFile(primaryPath);
        var defaults = DefaultsList.Extract(primary, primaryPath);
        var defaultChoices = defaults.Choices;

        var parsed = overrides.Select(Override.Parse).ToList();
        foreach (var o in parsed.Where(o => o.IsSweep))
            throw new ConfigException($"override '{o.Text}': several values are a sweep; use multirun (-m) or quote the value");

        // Hydra: an override of a config group's name picks an option, unless its value is a dict, which
        // merges into the group's keys like any key override (defaults_list.py: `is_dict or not is_group`).
        var groupOverrides = parsed.Where(o => GroupOverrides.IsGroupKey(o.Key, defaults, confDir) && o.Value is not ConfigNode).ToList();
        var keyOverrides = parsed.Except(groupOverrides).ToList();
        // Dora's base config (_get_base_config): the primary config composed with the command line's overrides
        // that start with `group=` — options and dicts alike — and nothing else. Each is a delta entry, as typed.
        var doraGroupOverrides = parsed.Where(o => o.Kind == OverrideKind.Change && GroupOverrides.IsGroupKey(o.Key, defaults, confDir)).ToList();
        var baseDefaults = defaults.Clone();
        var groupDelta = new List<KeyValuePair<string, string>>();
        foreach (var o in groupOverrides) GroupOverrides.Apply(o, defaults, confDir);
        foreach (var o in doraGroupOverrides)
        {
            if (groupOverrides.Contains(o)) GroupOverrides.Apply(o, baseDefaults, confDir);
            groupDelta.RemoveAll(kv => kv.Key == o.Key);
            groupDelta.Add(new(o.Key, RawValue(o.Text)));
        }
        var chosen = groupOverrides.Select(o => o.Key).ToHashSet();
        GroupOptionDefaults.Apply(confDir, defaults, chosen);
        GroupOptionDefaults.Apply(confDir, baseDefaults, chosen);

        var composed = Merge(confDir, primary, defaults);
        var baseConfig = Merge(confDir, primary, baseDefaults);
        foreach (var o in keyOverrides) ApplyKeyOverride(o, composed, defaults);
        foreach (var o in keyOverrides.Intersect(doraGroupOverrides)) ApplyKeyOverride(o, baseConfig, baseDefaults);

        var resolved = Interpolation.Resolve(composed);
        return new ComposedConfig(resolved, defaults.Choices, defaultChoices, Interpolation.Resolve(baseConfig), overrides.ToList(), groupDelta);
    }

    static string RawValue(string overrideText) => overrideText[(overrideText.IndexOf('=') + 1)..];

    /// <summary>config.yaml with its defaults only: what deltas are measured against.</summary>
    public static ComposedConfig ComposeDefaults(string confDir) => Compose(confDir, []);

    /// <summary>Options of a group: the `*.yaml` files of its folder, sorted.</summary>
    public static IReadOnlyList<string> OptionsOf(string confDir, string group)
    {
        string dir = Path.Combine(confDir, group);
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateFiles(dir, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal).ToList();
    }

    static ConfigNode Merge(string confDir, ConfigNode primary, DefaultsList defaults)
    {
        var result = new ConfigNode();
        foreach (var (group, option) in defaults.Entries)
        {
            if (group == DefaultsList.Self) { DeepMerge(result, primary.DeepClone()); continue; }
            if (option is null) continue;
            string path = Path.Combine(confDir, group, option + ".yaml");
            if (!File.Exists(path))
                throw new ConfigException($"{path}: no such file for group '{group}' option '{option}' (options: {string.Join(", ", OptionsOf(confDir, group))})");
            var content = YamlLoader.LoadFile(path);
            content.Remove("defaults"); // read by GroupOptionDefaults
            if (IsGlobalPackage(path)) DeepMerge(result, content);
            else
            {
                if (!result.TryGetChild(group, out var existing) || existing is not ConfigNode target)
                    result[group] = target = new ConfigNode();
                DeepMerge(target, content);
            }
        }
        return result;
    }

    static bool IsGlobalPackage(string path) =>
        File.ReadLines(path).TakeWhile(l => l.StartsWith('#') || l.Trim().Length == 0)
            .Any(l => l.TrimStart('#', ' ').StartsWith("@package _global_"));

    /// <summary>OmegaConf.merge: mappings merge key by key, anything else replaces.</summary>
    public static void DeepMerge(ConfigNode target, ConfigNode source)
    {
        foreach (var (key, value) in source)
        {
            if (value is ConfigNode child && target.TryGetChild(key, out var existing) && existing is ConfigNode into)
                DeepMerge(into, child);
            else target[key] = ConfigNode.CloneValue(value);
        }
    }

    static void ApplyKeyOverride(Override o, ConfigNode config, DefaultsList defaults) =>
        KeyOverrides.Apply(o, config, key => Suggest(key, config, defaults));

    static string Suggest(string key, ConfigNode config, DefaultsList defaults)
    {
        var close = EditDistance.Closest(key, ConfigPath.AllKeys(config).Concat(defaults.Groups));
        return close.Count == 0 ? "" : $" (did you mean {string.Join(" or ", close)}?)";
    }
}
