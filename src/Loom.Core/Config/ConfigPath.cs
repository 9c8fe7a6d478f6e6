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

    /// <summary>
    /// Sets a value, creating intermediate mappings when <paramref name="createParents"/>. A part that
    /// meets a list is an index of an existing item (`tags.0`): lists never grow by a dotted key, as in OmegaConf.
    /// </summary>
    public static void Set(ConfigNode root, string dottedKey, object? value, bool createParents)
    {
        var parts = Split(dottedKey);
        object container = root;
        for (int i = 0; i < parts.Length; i++)
        {
            string prefix = string.Join('.', parts[..i]);
            bool last = i == parts.Length - 1;
            if (container is List<object?> list)
            {
                int index = ListIndex(list, parts[i], dottedKey, prefix);
                if (last) { list[index] = value; return; }
                container = list[index] is ConfigNode or List<object?> ? list[index]!
                    : throw new ConfigException($"cannot set '{dottedKey}': '{Join(prefix, parts[i])}' is {Describe(list[index])}, not a mapping");
                continue;
            }
            var node = (ConfigNode)container;
            if (last) { node[parts[i]] = value; return; }
            if (node.TryGetChild(parts[i], out var child) && child is ConfigNode or List<object?>) { container = child!; continue; }
            string here = Join(prefix, parts[i]);
            if (node.ContainsKey(parts[i]))
                throw new ConfigException($"cannot set '{dottedKey}': '{here}' is {Describe(child)}, not a mapping");
            if (!createParents) throw new ConfigException($"cannot set '{dottedKey}': '{here}' does not exist");
            var created = new ConfigNode();
            node[parts[i]] = created;
            container = created;
        }
    }

    static int ListIndex(List<object?> list, string part, string dottedKey, string listKey)
    {
        if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
            throw new ConfigException($"cannot set '{dottedKey}': '{listKey}' is a list, and '{part}' is not an index");
        if (index >= list.Count)
            throw new ConfigException($"cannot set '{dottedKey}': list '{listKey}' has {list.Count} item{(list.Count == 1 ? "" : "s")} (a list does not grow by index)");
        return index;
    }

    static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "." + key;

    /// <summary>Removes a key, or a list item (`tags.0`: the items after it move up); false when absent.</summary>
    public static bool Remove(ConfigNode root, string dottedKey)
    {
        int dot = dottedKey.LastIndexOf('.');
        object? parent = root;
        if (dot >= 0 && !TryFind(root, dottedKey[..dot], out parent)) return false;
        string last = dottedKey[(dot + 1)..];
        if (parent is List<object?> list && int.TryParse(last, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index) && index < list.Count)
        {
            list.RemoveAt(index);
            return true;
        }
        return parent is ConfigNode node && node.Remove(last);
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
