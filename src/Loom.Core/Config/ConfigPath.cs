namespace Loom.Config;

/// <summary>Dotted keys ("optim.lr") over a <see cref="ConfigNode"/> tree: find, set, remove, list all leaves.</summary>
public static class ConfigPath
{
    public static string[] Split(string dottedKey) => dottedKey.Split('.');

    public static bool TryFind(ConfigNode root, string dottedKey, out object? value)
    {
        value = null;
        object? current = root;
        foreach (var part in Split(dottedKey))
        {
            if (current is List<object?> list && int.TryParse(part, out int index) && index >= 0 && index < list.Count)
            {
                current = list[index]; // OmegaConf lets `${betas.0}` reach into lists
                continue;
            }
            if (current is not ConfigNode node || !node.TryGetChild(part, out current)) return false;
        }
        value = current;
        return true;
    }

    /// <summary>Sets a value, creating intermediate mappings when <paramref name="createParents"/>.</summary>
    public static void Set(ConfigNode root, string dottedKey, object? value, bool createParents)
    {
        var parts = Split(dottedKey);
        var node = root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (node.TryGetChild(parts[i], out var child) && child is ConfigNode childNode) { node = childNode; continue; }
            string prefix = string.Join('.', parts[..(i + 1)]);
            if (child is not null && node.ContainsKey(parts[i]))
                throw new ConfigException($"cannot set '{dottedKey}': '{prefix}' is {Describe(child)}, not a mapping");
            if (!createParents) throw new ConfigException($"cannot set '{dottedKey}': '{prefix}' does not exist");
            var created = new ConfigNode();
            node[parts[i]] = created;
            node = created;
        }
        node[parts[^1]] = value;
    }

    public static bool Remove(ConfigNode root, string dottedKey)
    {
        int dot = dottedKey.LastIndexOf('.');
        object? parent = root;
        if (dot >= 0 && !TryFind(root, dottedKey[..dot], out parent)) return false;
        return parent is ConfigNode node && node.Remove(dottedKey[(dot + 1)..]);
    }

    /// <summary>Every dotted key of the tree, mappings included, depth first in document order.</summary>
    public static IEnumerable<string> AllKeys(ConfigNode root, string prefix = "")
    {
        foreach (var (key, value) in root)
        {
            string full = prefix.Length == 0 ? key : prefix + "." + key;
            yield return full;
            if (value is ConfigNode child)
                foreach (var sub in AllKeys(child, full)) yield return sub;
        }
    }

    public static string Describe(object? value) => value switch
    {
        null => "null",
        ConfigNode => "a mapping",
        List<object?> => "a list",
        string s => $"'{s}'",
        bool b => b ? "true" : "false", // as the user writes it in YAML or an override
        _ => ScalarText.Format(value),
    };
}
