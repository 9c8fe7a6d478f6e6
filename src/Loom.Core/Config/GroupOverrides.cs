namespace Loom.Config;

/// <summary>
/// Overrides of a config group (`model=mlp`, `+extra=on`, `~model`): they edit the defaults list before
/// composition, as in Hydra's defaults_list.py. An option is a name (a string); Hydra's other forms are
/// refused with one line: `++group=…` (Hydra refuses it too), numbers and null (Hydra raises on them),
/// lists (Hydra's multi-select, which Loom does not support).
/// </summary>
public static class GroupOverrides
{
    /// <summary>A key names a config group when it is in the defaults list or has a folder in the conf.</summary>
    public static bool IsGroupKey(string key, DefaultsList defaults, string confDir) =>
        !key.Contains('.') && (defaults.HasGroup(key) || Directory.Exists(Path.Combine(confDir, key)));

    public static void Apply(Override o, DefaultsList defaults, string confDir)
    {
        string group = o.Key;
        switch (o.Kind)
        {
            case OverrideKind.Delete:
                if (!defaults.HasGroup(group)) throw Error(o, $"cannot delete group '{group}': it is not in the defaults list");
                if (o.HasValue && !Equals(o.Value, defaults.ChoiceOf(group)))
                    throw Error(o, $"group '{group}' is '{defaults.ChoiceOf(group)}', not {ConfigPath.Describe(o.Value)}");
                defaults.RemoveGroup(group);
                return;
            case OverrideKind.ForceAdd:
                throw Error(o, $"force-add of config groups is not supported, as in Hydra; use {group}=... (or +{group}=... for a group not in the defaults list)");
            case OverrideKind.Add when defaults.HasGroup(group):
                throw Error(o, $"group '{group}' is already in the defaults list; use {group}=... to change it");
            case OverrideKind.Change when !defaults.HasGroup(group):
                throw Error(o, $"group '{group}' is not in the defaults list; use +{group}=... to add it");
        }
        string name = o.Value switch
        {
            string s => s,
            null => throw Error(o, $"a group option must be a name, found null (use ~{group} to remove the group)"),
            List<object?> => throw Error(o, "a group option must be a name, found a list (choosing several options of a group is not supported)"),
            long or double or System.Numerics.BigInteger or bool => throw Error(o, $"a group option must be a name, found {ConfigPath.Describe(o.Value)} (quote it to use it as a name)"),
            _ => throw Error(o, $"a group option must be a name, found {ConfigPath.Describe(o.Value)}"),
        };
        var options = ConfigComposer.OptionsOf(confDir, group);
        if (!options.Contains(name))
            throw Error(o, $"unknown option '{name}' for group '{group}' (options: {string.Join(", ", options)})");
        defaults.SetChoice(group, name);
    }

    static ConfigException Error(Override o, string what) => new($"override '{o.Text}': {what}");
}
