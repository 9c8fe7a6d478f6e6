namespace Loom.Config;

/// <summary>
/// The one form of a defaults list Loom reads in a group option, Hydra's `- override /GROUP: OPTION`: choosing an
/// option is allowed to change the default of another group (conf/data/csv.yaml picks the MLP, a table's model),
/// while the command line still wins (`data=csv model=…`). Applied to the final and to Dora's base config alike, so
/// `data=csv` alone has the delta `[["data", "csv"]]`.
/// </summary>
public static class GroupOptionDefaults
{
    /// <summary>Applies the `override` entries of every chosen option's defaults list to <paramref name="defaults"/>,
    /// except for the groups in <paramref name="chosenOnCommandLine"/>.</summary>
    public static void Apply(string confDir, DefaultsList defaults, IReadOnlySet<string> chosenOnCommandLine)
    {
        foreach (var (group, option) in defaults.Choices.ToList())
        {
            string path = Path.Combine(confDir, group, option + ".yaml");
            if (!File.Exists(path)) continue; // composition reports it, with the options
            foreach (var (target, choice) in Overrides(path, YamlLoader.LoadFile(path)))
            {
                if (chosenOnCommandLine.Contains(target) || !defaults.HasGroup(target)) continue;
                if (!ConfigComposer.OptionsOf(confDir, target).Contains(choice))
                    throw new ConfigException($"{path}: override /{target}: {choice}: unknown option (options: {string.Join(", ", ConfigComposer.OptionsOf(confDir, target))})");
                defaults.SetChoice(target, choice);
            }
        }
    }

    /// <summary>The (group, option) pairs of the file's `defaults` list; any other entry is refused naming the file.</summary>
    static IEnumerable<(string Group, string Option)> Overrides(string path, ConfigNode content)
    {
        if (!content.TryGetChild("defaults", out var raw)) yield break;
        foreach (var item in raw as List<object?> ?? [raw])
        {
            if (item is ConfigNode { Count: 1 } entry && entry.First() is var (key, value) && value is string option && key.StartsWith("override /"))
                yield return (key["override /".Length..], option);
            else
                throw new ConfigException($"{path}: a defaults list in a group option is not supported beyond `- override /GROUP: OPTION` entries (found {ConfigPath.Describe(item)}; put it in {ConfigComposer.PrimaryFile})");
        }
    }
}
