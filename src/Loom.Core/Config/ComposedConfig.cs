namespace Loom.Config;

/// <summary>
/// The result of composing a conf folder with overrides: the resolved config, the group choices, and what
/// Dora's delta needs: the group overrides given on the command line and the base config (config.yaml
/// composed with those group overrides and nothing else), resolved.
/// </summary>
public sealed class ComposedConfig(
    ConfigNode config,
    IReadOnlyList<KeyValuePair<string, string>> groupChoices,
    IReadOnlyList<KeyValuePair<string, string>> defaultGroupChoices,
    ConfigNode baseConfig,
    IReadOnlyList<string> overrides,
    IReadOnlyList<KeyValuePair<string, string>> groupOverrides)
{
    /// <summary>The final config, interpolations resolved.</summary>
    public ConfigNode Config { get; } = config;

    /// <summary>Group → option actually used, in defaults-list order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> GroupChoices { get; } = groupChoices;

    /// <summary>Group → option as config.yaml's defaults list has it.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> DefaultGroupChoices { get; } = defaultGroupChoices;

    /// <summary>The config composed with the `group=...` overrides of the command line and no other, resolved (Dora's base).</summary>
    public ConfigNode Base { get; } = baseConfig;

    /// <summary>The overrides, as given.</summary>
    public IReadOnlyList<string> Overrides { get; } = overrides;

    /// <summary>
    /// Dora's group delta: each override of the command line that starts with `group=` (an option, or a dict
    /// merged into the group's keys), in command-line order (a group given twice counts once, at its last
    /// place), with the text after '=' as typed — even when it is the default option.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> GroupOverrides { get; } = groupOverrides;
}
