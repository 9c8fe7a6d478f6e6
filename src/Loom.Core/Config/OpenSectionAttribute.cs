namespace Loom.Config;

/// <summary>
/// Marks a settings record (or class) whose config section is open: keys it does not declare are ignored
/// when the section is bound, instead of refused. Sections are closed by default, like OmegaConf's struct
/// mode, so that a typo such as `+optim.momentun=0.9` is an error and not a new XP that trains silently with
/// the default momentum. Use it for a section that also carries keys for other consumers.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = true)]
public sealed class OpenSectionAttribute : Attribute;
