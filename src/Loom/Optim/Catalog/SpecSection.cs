using Loom.Config;

namespace Loom.Optim;

/// <summary>
/// Binds a section whose keys are a shared part plus the named spec's own (`optim`, `schedule`): the allowed keys are the
/// shared record's and the spec's options record's, so a key is refused unless one of the two declares it. A key another
/// registered spec declares gets a message saying so (`optim.momentum: not a setting of the adam optimizer (only sgd use
/// it); adam reads lr, …`); any other, the binder's did-you-mean over the allowed keys.
/// </summary>
static class SpecSection
{
    public static (TShared? Shared, object? Own) Bind<TShared>(ConfigNode config, string section, string what, string defaultName,
        IReadOnlyList<(string Name, Type Options)> specs, Func<string, Type> optionsOf) where TShared : class
    {
        if (!config.Has(section)) return (null, null);
        var shared = ConfigBinder.DeclaredKeys(typeof(TShared)); // the keys every spec of the section shares
        var node = config.Get<ConfigNode>(section);
        // The name first (a number or a list is the binder's type error), then the named spec's keys.
        string name = node.TryGetChild("name", out var raw) ? (string?)ConfigBinder.Convert(raw, typeof(string), $"{section}.name") ?? defaultName : defaultName;
        var optionsType = optionsOf(name); // an unknown name is refused here, before its keys
        var own = ConfigBinder.DeclaredKeys(optionsType);
        bool Shared(string key) => shared.Any(k => ConfigBinder.SameKey(k, key));
        bool Own(string key) => own.Any(k => ConfigBinder.SameKey(k, key));
        foreach (var key in node.Keys.Where(k => !Shared(k) && !Own(k)))
        {
            var users = specs.Where(sp => ConfigBinder.DeclaredKeys(sp.Options).Any(k => ConfigBinder.SameKey(k, key))).Select(sp => sp.Name).ToList();
            var allowed = shared.Concat(own).ToList();
            if (users.Count > 0)
                throw new ConfigException($"{section}.{key}: not a setting of the {name} {what} (only {string.Join(", ", users)} use it); " +
                    $"{name} reads {string.Join(", ", allowed.Where(k => k != "name"))}");
            var close = EditDistance.Closest(key, allowed);
            throw new ConfigException($"key '{section}.{key}' is not a setting of {section}" +
                (close.Count == 0 ? "" : $" (did you mean {string.Join(" or ", close.Select(c => $"{section}.{c}"))}?)"));
        }
        return ((TShared?)ConfigBinder.Convert(Subset(node, Shared), typeof(TShared), section), ConfigBinder.Convert(Subset(node, Own), optionsType, section));
    }

    static ConfigNode Subset(ConfigNode node, Func<string, bool> keep)
    {
        var subset = new ConfigNode();
        foreach (var (key, value) in node)
            if (keep(key)) subset[key] = value;
        return subset;
    }
}
