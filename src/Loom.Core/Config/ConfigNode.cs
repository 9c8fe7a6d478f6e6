using System.Collections;

namespace Loom.Config;

/// <summary>
/// A configuration mapping with ordered keys, the way OmegaConf's DictConfig keeps them.
/// Values are: <see cref="ConfigNode"/> (mapping), <see cref="List{T}"/> of object? (sequence), or a scalar:
/// <see cref="long"/> (or <see cref="System.Numerics.BigInteger"/> beyond 64 bits), <see cref="double"/>,
/// <see cref="bool"/>, <see cref="string"/>, null.
/// </summary>
public sealed class ConfigNode : IEnumerable<KeyValuePair<string, object?>>
{
    readonly OrderedDictionary<string, object?> entries = new(StringComparer.Ordinal);

    public int Count => entries.Count;
    public IEnumerable<string> Keys => entries.Keys;

    /// <summary>Direct child (not dotted). Setting appends new keys at the end, keeps the place of existing ones.</summary>
    public object? this[string key]
    {
        get => entries[key];
        set => entries[key] = value;
    }

    public bool ContainsKey(string key) => entries.ContainsKey(key);
    public bool Remove(string key) => entries.Remove(key);
    public bool TryGetChild(string key, out object? value) => entries.TryGetValue(key, out value);

    /// <summary>True when the dotted key (e.g. "optim.lr") exists, even with a null value.</summary>
    public bool Has(string dottedKey) => ConfigPath.TryFind(this, dottedKey, out _);

    /// <summary>The value at a dotted key converted to <typeparamref name="T"/>; ConfigException naming key, value and type otherwise.</summary>
    public T Get<T>(string dottedKey)
    {
        if (!ConfigPath.TryFind(this, dottedKey, out var raw))
            throw new ConfigException($"missing key '{dottedKey}' (expected {ConfigBinder.TypeName(typeof(T))})");
        return (T)ConfigBinder.Convert(raw, typeof(T), dottedKey)!;
    }

    /// <summary>False when the key is missing or its value does not convert to <typeparamref name="T"/>.</summary>
    public bool TryGet<T>(string dottedKey, out T value)
    {
        value = default!;
        if (!ConfigPath.TryFind(this, dottedKey, out var raw)) return false;
        try { value = (T)ConfigBinder.Convert(raw, typeof(T), dottedKey)!; return true; }
        catch (ConfigException) { return false; }
    }

    /// <summary>
    /// Binds a section (dotted key) onto a record or class: snake_case keys fill PascalCase members. The
    /// section is closed: a key the record does not declare is refused with a did-you-mean, unless the
    /// record is <see cref="OpenSectionAttribute"/>. Without a section, binds the root, which stays open at
    /// its top level (root keys added with `+` are allowed; records below it are closed).
    /// </summary>
    public T Bind<T>(string? section = null)
    {
        if (string.IsNullOrEmpty(section)) return (T)ConfigBinder.BindRoot(this, typeof(T))!;
        if (!ConfigPath.TryFind(this, section, out var raw))
            throw new ConfigException($"missing section '{section}' (expected a mapping for {ConfigBinder.TypeName(typeof(T))})");
        return (T)ConfigBinder.Convert(raw, typeof(T), section)!;
    }

    public string ToYaml() => YamlWriter.Write(this);

    public ConfigNode DeepClone() => (ConfigNode)CloneValue(this)!;

    public static object? CloneValue(object? value) => value switch
    {
        ConfigNode node => CloneNode(node),
        List<object?> list => list.Select(CloneValue).ToList(),
        _ => value, // scalars are immutable
    };

    static ConfigNode CloneNode(ConfigNode node)
    {
        var copy = new ConfigNode();
        foreach (var (k, v) in node.entries) copy.entries[k] = CloneValue(v);
        return copy;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => entries.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => ToYaml();
}
