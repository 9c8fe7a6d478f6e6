namespace Loom.Config;

/// <summary>
/// The result of composing a conf folder with overrides: the resolved config, the group choices, and what
/// Dora's delta needs — the default group choices of config.yaml and the base config (the same group
/// choices, no other override), both resolved.
/// </summary>
public sealed class ComposedConfig(
    ConfigNode config,
    IReadOnlyList<KeyValuePair<string, string>> groupChoices,
    IReadOnlyList<KeyValuePair<string, string>> defaultGroupChoices,
    ConfigNode baseConfig,
    IReadOnlyList<string> overrides)
{
    /// <summary>The final config, interpolations resolved.</summary>
    public ConfigNode Config { get; } = config;

    /// <summary>Group → option actually used, in defaults-list order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> GroupChoices { get; } = groupChoices;

    /// <summary>Group → option as config.yaml's defaults list has it.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> DefaultGroupChoices { get; } = defaultGroupChoices;

    /// <summary>The config composed with <see cref="GroupChoices"/> and no other override, resolved.</summary>
    public ConfigNode Base { get; } = baseConfig;

    public IReadOnlyList<string> Overrides { get; } = overrides;
}
