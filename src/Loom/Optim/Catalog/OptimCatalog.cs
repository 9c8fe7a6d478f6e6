using Loom.Config;
using Loom.Optim.Schedules;
using Loom.Training;

namespace Loom.Optim;

/// <summary>
/// The optimizers and LR schedules `optim.name` and `schedule.name` may name: Loom's own (sgd, adagrad, adam, adamw; none,
/// step, multistep, exponential, cosine, plateau) and those an app adds (<c>app.Optimizer(new LionSpec())</c> on its
/// <see cref="App.LoomAppBuilder"/>, or <see cref="Add(IOptimizerSpec)"/> on a catalogue handed to a run). Binding picks the
/// named spec's closed options record, so a key that neither it nor the shared part declares is refused.
/// </summary>
public sealed class OptimCatalog
{
    readonly List<IOptimizerSpec> optimizers = [];
    readonly List<IScheduleSpec> schedules = [];

    /// <summary>A new catalogue holding Loom's own optimizers and schedules.</summary>
    public static OptimCatalog BuiltIn() => new OptimCatalog()
        .Add(new SgdSpec()).Add(new AdagradSpec()).Add(new AdamSpec("adam", decoupled: false)).Add(new AdamSpec("adamw", decoupled: true))
        .Add(new ConstantLrSpec()).Add(new StepLrSpec()).Add(new MultiStepLrSpec()).Add(new ExponentialLrSpec())
        .Add(new CosineAnnealingLrSpec()).Add(new ReduceLrOnPlateauSpec());

    /// <summary>The catalogue a run uses when none is given: Loom's own (shared, never modified).</summary>
    internal static OptimCatalog Default { get; } = BuiltIn();

    public IReadOnlyList<string> OptimizerNames => optimizers.Select(o => o.Name).ToList();
    public IReadOnlyList<string> ScheduleNames => schedules.Select(s => s.Name).ToList();

    /// <summary>Registers an optimizer; its name must be new (an app's spec never silently replaces Loom's).</summary>
    public OptimCatalog Add(IOptimizerSpec spec)
    {
        if (optimizers.Any(o => o.Name == spec.Name)) throw new InvalidOperationException($"an optimizer named '{spec.Name}' is already registered");
        optimizers.Add(spec);
        return this;
    }

    /// <summary>Registers an LR schedule; its name must be new.</summary>
    public OptimCatalog Add(IScheduleSpec spec)
    {
        if (schedules.Any(s => s.Name == spec.Name)) throw new InvalidOperationException($"a schedule named '{spec.Name}' is already registered");
        schedules.Add(spec);
        return this;
    }

    /// <summary>The optimizer `optim.name` names; a one-line <see cref="ConfigException"/> for a name not registered.</summary>
    public IOptimizerSpec Optimizer(string name) => optimizers.FirstOrDefault(o => o.Name == name)
        ?? throw UnknownName.Error("optim.name", name, "optimizer", OptimizerNames);

    /// <summary>The schedule `schedule.name` names; a one-line <see cref="ConfigException"/> for a name not registered.</summary>
    public IScheduleSpec Schedule(string name) => schedules.FirstOrDefault(s => s.Name == name)
        ?? throw UnknownName.Error("schedule.name", name, "schedule", ScheduleNames);

    /// <summary>
    /// Binds `optim` and `schedule` (defaults where a section is absent): the shared keys to <see cref="OptimSettings"/> /
    /// <see cref="ScheduleSettings"/>, the named spec's own keys to its options record (<see cref="OptimSettings.Options"/>).
    /// </summary>
    public (OptimSettings Optim, ScheduleSettings Schedule) Bind(ConfigNode config)
    {
        var optim = SpecSection.Bind<OptimSettings>(config, "optim", "optimizer", new OptimSettings().Name,
            optimizers.Select(o => (o.Name, o.OptionsType)).ToList(), name => Optimizer(name).OptionsType);
        var schedule = SpecSection.Bind<ScheduleSettings>(config, "schedule", "schedule", new ScheduleSettings().Name,
            schedules.Select(s => (s.Name, s.OptionsType)).ToList(), name => Schedule(name).OptionsType);
        var optimSettings = optim.Shared ?? new OptimSettings();
        var scheduleSettings = schedule.Shared ?? new ScheduleSettings();
        return (optimSettings.WithOptions(optim.Own), scheduleSettings.WithOptions(schedule.Own));
    }

    /// <summary>Refuses settings the run cannot use, one line naming the key: the shared ones here, each spec's own in the spec.</summary>
    public void Validate(OptimSettings o, ScheduleSettings s, int epochs)
    {
        var optimizer = Optimizer(o.Name);
        SettingCheck.Require(o.Lr > 0 && double.IsFinite(o.Lr), "optim.lr", o.Lr, "expected a positive finite number");
        SettingCheck.Require(o.WeightDecay >= 0, "optim.weight_decay", o.WeightDecay, "expected a non-negative number");
        optimizer.Validate(o);
        SettingCheck.Require(LrScaling.Names.Contains(o.ScaleLr), "optim.scale_lr", o.ScaleLr, $"expected one of {string.Join(", ", LrScaling.Names)}");
        SettingCheck.Require(o.ReferenceBatchSize > 0, "optim.reference_batch_size", o.ReferenceBatchSize, "expected a positive integer");
        SettingCheck.Require(o.ClipGradNorm is null or > 0, "optim.clip_grad_norm", o.ClipGradNorm, "expected a positive number or null");
        SettingCheck.Require(o.ClipGradValue is null or > 0, "optim.clip_grad_value", o.ClipGradValue, "expected a positive number or null");
        SettingCheck.Require(o.Accumulate >= 1, "optim.accumulate", o.Accumulate, "expected a positive integer");
        SettingCheck.Require(NonFiniteSteps.Modes.Contains(o.Nonfinite), "optim.nonfinite", o.Nonfinite, $"expected one of {string.Join(", ", NonFiniteSteps.Modes)}");
        SettingCheck.Require(o.MaxSkips >= 0, "optim.max_skips", o.MaxSkips, "expected a non-negative integer");

        Schedule(s.Name).Validate(s, epochs);
        SettingCheck.Require(s.WarmupEpochs >= 0, "schedule.warmup_epochs", s.WarmupEpochs, "expected a non-negative integer");
        SettingCheck.Require(s.WarmupSteps >= 0, "schedule.warmup_steps", s.WarmupSteps, "expected a non-negative integer");
        SettingCheck.Require(s.WarmupEpochs == 0 || s.WarmupSteps == 0, "schedule.warmup_steps", s.WarmupSteps, "set warmup_epochs or warmup_steps, not both");
        SettingCheck.Require(s.WarmupStartFactor is > 0 and <= 1, "schedule.warmup_start_factor", s.WarmupStartFactor, "expected a number in (0, 1]");
    }
}
