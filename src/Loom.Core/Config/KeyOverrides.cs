using Loom.Experiments;

namespace Loom.Config;

/// <summary>
/// Applies one key override (not a config group) to the composed config the way Hydra's
/// `_apply_overrides_to_config` does on a struct-mode config:
/// `key=v` changes an existing key, and a dict value merges into an existing mapping only through keys it
/// already has; `+key=v` adds a key, and may also fill a null key or merge a dict (or replace a list) at an
/// existing one; `++key=v` adds or changes anything; `~key[=v]` deletes (a list item too: `~tags.0`).
/// Loom refuses, instead of guessing, what Hydra would reject or OmegaConf could not merge.
/// </summary>
public static class KeyOverrides
{
    /// <summary><paramref name="suggest"/> gives " (did you mean ...?)" for an unknown dotted key, or "".</summary>
    public static void Apply(Override o, ConfigNode config, Func<string, string> suggest)
    {
        bool exists = ConfigPath.TryFind(config, o.Key, out var current);
        object? value = o.Value;
        switch (o.Kind)
        {
            case OverrideKind.Delete:
                if (!exists) throw Error(o, $"cannot delete missing key '{o.Key}'{suggest(o.Key)}");
                if (o.HasValue && !PyEquality.AreEqual(current, value))
                    throw Error(o, $"key '{o.Key}' is {ConfigPath.Describe(current)}, not {ConfigPath.Describe(value)}");
                ConfigPath.Remove(config, o.Key);
                return;
            case OverrideKind.Add when exists && current is not null && value is not (ConfigNode or List<object?>):
                throw Error(o, $"key '{o.Key}' already exists; use {o.Key}=... to change it or ++{o.Key}=... to force");
            case OverrideKind.Change when !exists:
                throw Error(o, $"unknown key '{o.Key}'{suggest(o.Key)}; use +{o.Key}=... to add a key");
        }
        if (exists) CheckMergeable(o, o.Key, current, value);
        if (value is ConfigNode dict && current is ConfigNode into)
        {
            if (o.Kind == OverrideKind.Change) MergeExistingKeys(o, into, dict, o.Key, suggest);
            else ConfigComposer.DeepMerge(into, dict);
            return;
        }
        ConfigPath.Set(config, o.Key, ConfigNode.CloneValue(value), createParents: o.Kind != OverrideKind.Change);
    }

    /// <summary>OmegaConf merges a dict into a mapping and replaces a list, but cannot merge one into the other.</summary>
    static void CheckMergeable(Override o, string key, object? current, object? value)
    {
        if (value is List<object?> && current is ConfigNode)
            throw Error(o, $"cannot merge a list into mapping '{key}' (delete it first with ~{key}, or set its keys)");
        if (value is ConfigNode && current is List<object?>)
            throw Error(o, $"cannot merge a dict into list '{key}' (delete it first with ~{key})");
    }

    /// <summary>A dict merged with `key=`: the config is closed (struct mode), so each key must exist already.</summary>
    static void MergeExistingKeys(Override o, ConfigNode into, ConfigNode dict, string path, Func<string, string> suggest)
    {
        foreach (var (key, value) in dict)
        {
            string full = path + "." + key;
            if (!into.TryGetChild(key, out var current))
                throw Error(o, $"unknown key '{full}'{suggest(full)}; use +{o.Key}=... to add keys to '{o.Key}'");
            CheckMergeable(o, full, current, value);
            if (value is ConfigNode child && current is ConfigNode childInto) MergeExistingKeys(o, childInto, child, full, suggest);
            else into[key] = ConfigNode.CloneValue(value);
        }
    }

    static ConfigException Error(Override o, string what) => new($"override '{o.Text}': {what}");
}
