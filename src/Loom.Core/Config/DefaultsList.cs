namespace Loom.Config;

/// <summary>
/// Hydra's `defaults:` list of the primary config: `- group: option` entries and `- _self_` (where the
/// primary config's own keys merge). Without `_self_`, Hydra ≥ 1.1 merges the primary config last.
/// </summary>
public sealed class DefaultsList
{
    public const string Self = "_self_";

    /// <summary>Entries in merge order: (group, option) or (<see cref="Self"/>, null).</summary>
    public List<(string Group, string? Option)> Entries { get; } = [];

    public IEnumerable<string> Groups => Entries.Where(e => e.Group != Self).Select(e => e.Group);

    public bool HasGroup(string group) => Entries.Any(e => e.Group == group);

    public string? ChoiceOf(string group) => Entries.FirstOrDefault(e => e.Group == group).Option;

    public void SetChoice(string group, string? option)
    {
        int i = Entries.FindIndex(e => e.Group == group);
        if (i >= 0) Entries[i] = (group, option);
        else Entries.Add((group, option));
    }

    public void RemoveGroup(string group) => Entries.RemoveAll(e => e.Group == group);

    /// <summary>Ordered group → option, for groups that have an option selected.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Choices =>
        Entries.Where(e => e.Group != Self && e.Option is not null)
               .Select(e => new KeyValuePair<string, string>(e.Group, e.Option!)).ToList();

    /// <summary>Takes `defaults` out of the primary config and checks its shape.</summary>
    public static DefaultsList Extract(ConfigNode primary, string source)
    {
        var list = new DefaultsList();
        if (!primary.TryGetChild("defaults", out var raw)) { list.Entries.Add((Self, null)); return list; }
        primary.Remove("defaults");
        if (raw is not List<object?> items)
            throw new ConfigException($"{source}: 'defaults' must be a list of `group: option` entries or _self_, found {ConfigPath.Describe(raw)}");
        foreach (var item in items)
        {
            if (item is Self) list.Entries.Add((Self, null));
            else if (item is ConfigNode { Count: 1 } entry && entry.First() is var (group, option) && option is string or null)
            {
                if (group.StartsWith("override ") || group.StartsWith("optional "))
                    group = group[(group.IndexOf(' ') + 1)..];
                if (list.HasGroup(group)) throw new ConfigException($"{source}: group '{group}' appears twice in 'defaults'");
                list.Entries.Add((group, (string?)option));
            }
            else throw new ConfigException($"{source}: bad 'defaults' entry {ConfigPath.Describe(item)} (expected `- group: option` or `- _self_`)");
        }
        if (!list.HasGroup(Self)) list.Entries.Add((Self, null));
        return list;
    }

    public DefaultsList Clone()
    {
        var copy = new DefaultsList();
        copy.Entries.AddRange(Entries);
        return copy;
    }
}
