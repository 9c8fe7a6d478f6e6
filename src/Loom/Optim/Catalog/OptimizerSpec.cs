using Loom.Training;
using TorchSharp.Modules;

namespace Loom.Optim;

/// <summary>
/// One optimizer as `optim.name` names it: its name, the closed record of its own keys (beside the keys every optimizer
/// shares: lr, weight_decay, clipping, accumulation, …), their validation and how to build it over the parameter groups.
/// Registered in an <see cref="OptimCatalog"/>; derive from <see cref="OptimizerSpec{TOptions}"/> rather than implement this.
/// </summary>
public interface IOptimizerSpec
{
    string Name { get; }

    /// <summary>The record the optimizer's own keys bind to; a key neither it nor <see cref="OptimSettings"/>'s shared part declares is refused.</summary>
    Type OptionsType { get; }

    /// <summary>Refuses settings the optimizer cannot run with (a <see cref="Config.ConfigException"/> naming the key, see <see cref="SettingCheck"/>).</summary>
    void Validate(OptimSettings settings);

    /// <summary>The optimizer over <paramref name="groups"/>: one optimizer param group per group, in order.</summary>
    OptimizerHelper Create(OptimSettings settings, IReadOnlyList<ParameterGroup> groups);

    /// <summary>Work done once per process ahead of the first step (`loom train` runs it while the data is read).</summary>
    void Prepare(OptimSettings settings) { }
}

/// <summary>
/// An optimizer spec whose own keys bind to <typeparamref name="TOptions"/> (a record with defaults: snake_case keys fill its
/// PascalCase properties, as every section does). `optim.name: lion` + `optim.beta1: 0.9` then reach
/// <see cref="Create(OptimSettings, TOptions, IReadOnlyList{ParameterGroup})"/> as <c>options.Beta1</c>.
/// </summary>
public abstract class OptimizerSpec<TOptions>(string name) : IOptimizerSpec where TOptions : class, new()
{
    public string Name { get; } = name;

    public Type OptionsType => typeof(TOptions);

    /// <summary>The options of <paramref name="settings"/>: the record bound from the config or given with
    /// <see cref="OptimSettings.WithOptions"/>, else the record's defaults; another optimizer's record is refused.</summary>
    public TOptions OptionsOf(OptimSettings settings) => SpecOptions.Of<TOptions>(settings.Options, "optim", Name);

    public virtual void Validate(OptimSettings settings, TOptions options) { }

    public abstract OptimizerHelper Create(OptimSettings settings, TOptions options, IReadOnlyList<ParameterGroup> groups);

    public virtual void Prepare(OptimSettings settings) { }

    void IOptimizerSpec.Validate(OptimSettings settings) => Validate(settings, OptionsOf(settings));

    OptimizerHelper IOptimizerSpec.Create(OptimSettings settings, IReadOnlyList<ParameterGroup> groups) => Create(settings, OptionsOf(settings), groups);
}
