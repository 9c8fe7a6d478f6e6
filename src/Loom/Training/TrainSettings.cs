namespace Loom.Training;

// Loom's own settings, the same for every task: the top-level training keys, `optim` and `schedule`. Bound
// from YAML by Loom.Config: snake_case keys map to these PascalCase properties.

/// <summary>Top-level training keys of config.yaml (a task's own keys sit beside them).</summary>
public sealed record TrainSettings
{
    public long Seed { get; init; } = 42;
    public int Epochs { get; init; } = 5;
    public int BatchSize { get; init; } = 32;
    /// <summary>Early stopping: epochs without improvement of <see cref="Monitor"/> before stopping; 0 = never.</summary>
    public int Patience { get; init; }
    /// <summary>`split.metric`, e.g. `valid.accuracy` (never `test.*`); null picks the task's metric on the valid split, or the last epoch without one.</summary>
    public string? Monitor { get; init; }
    /// <summary>Wipe the XP's folder before training (excluded from the signature).</summary>
    public bool Restart { get; init; }
    public string Device { get; init; } = "cpu";
    /// <summary>Threads of libtorch's pool: the count while the cores are free, the most ever used.</summary>
    public int Threads { get; init; } = 2;
    /// <summary>Use fewer threads while other processes keep cores busy (<see cref="Loom.Platform.ThreadGovernor"/>); single-process runs.</summary>
    public bool AdaptiveThreads { get; init; } = true;
    /// <summary>`auto` (a bar on a terminal, plain lines otherwise), `bar`, `plain` or `none`.</summary>
    public string Progress { get; init; } = "auto";
}


/// <summary>
/// The `optim` group: the keys every optimizer shares (name, lr, weight_decay, scaling, clipping, accumulation, non-finite
/// steps, no_decay_norm_and_bias) and, in <see cref="Options"/>, the record of the named optimizer's own keys, which its
/// <see cref="Optim.IOptimizerSpec"/> declares (<see cref="Optim.SgdOptions"/>, <see cref="Optim.AdamOptions"/>, …): code that
/// builds these settings gives it with <see cref="WithOptions"/>, e.g.
/// <c>new OptimSettings { Name = "sgd", Lr = 0.1 }.WithOptions(new SgdOptions { Momentum = 0.9 })</c>; without one, the
/// optimizer's defaults.
/// </summary>
public sealed record OptimSettings
{
    public string Name { get; init; } = "sgd";
    public double Lr { get; init; } = 0.1;
    /// <summary>The named optimizer's own settings (its spec's options record), bound from the config; null: the spec's defaults.</summary>
    public object? Options { get; private init; }
    /// <summary>These settings with <paramref name="options"/> as the optimizer's own (e.g. a registered optimizer's record).</summary>
    public OptimSettings WithOptions(object? options) => this with { Options = options };
    public double WeightDecay { get; init; }
    /// <summary>Large-batch scaling rule (Goyal et al. 2017): `none`, `linear` (lr × B/ref) or `sqrt` (lr × √(B/ref)),
    /// where B = batch_size × accumulate is the effective batch.</summary>
    public string ScaleLr { get; init; } = "none";
    public int ReferenceBatchSize { get; init; } = 256;
    /// <summary>Clip the global L2 norm of the gradients to this value before each step; null = off.</summary>
    public double? ClipGradNorm { get; init; }
    /// <summary>Clamp each gradient element to [-v, v] before each step; null = off.</summary>
    public double? ClipGradValue { get; init; }
    /// <summary>Accumulate gradients over this many batches per optimizer step.</summary>
    public int Accumulate { get; init; } = 1;
    /// <summary>A step whose training loss is NaN or infinite: `stop` the run there (exit 3) or `skip` it (not applied, counted).</summary>
    public string Nonfinite { get; init; } = "stop";
    /// <summary>With `nonfinite: skip`, the most steps left out per epoch before the run stops as with `stop`.</summary>
    public int MaxSkips { get; init; } = 10;
    /// <summary>Two parameter groups: biases and normalization layers' weights without weight decay (the usual practice
    /// with AdamW), the rest with `weight_decay`; for tasks that keep the default <c>ParameterGroups</c>.</summary>
    public bool NoDecayNormAndBias { get; init; }
}

/// <summary>The `schedule` group: the LR schedule and its optional linear warm-up (see <see cref="Optim.Schedules.LrSchedule"/>).</summary>
/// <remarks>As <see cref="OptimSettings"/>: the shared keys (name, warm-up) and, in <see cref="Options"/>, the named schedule's own
/// record (<see cref="Optim.IScheduleSpec"/>: <see cref="Optim.Schedules.StepLrOptions"/>, …), given in code with <see cref="WithOptions"/>.</remarks>
public sealed record ScheduleSettings
{
    /// <summary>`none`, `step`, `multistep`, `exponential`, `cosine`, `plateau`, or a schedule an app registered.</summary>
    public string Name { get; init; } = "none";
    /// <summary>The named schedule's own settings (its spec's options record), bound from the config; null: the spec's defaults.</summary>
    public object? Options { get; private init; }
    /// <summary>These settings with <paramref name="options"/> as the schedule's own.</summary>
    public ScheduleSettings WithOptions(object? options) => this with { Options = options };
    /// <summary>Linear warm-up length in epochs (the factor changes once per epoch) ...</summary>
    public int WarmupEpochs { get; init; }
    /// <summary>... or in optimizer steps (the factor changes every step); at most one of the two is non-zero.</summary>
    public int WarmupSteps { get; init; }
    /// <summary>LR factor at the first epoch/step of the warm-up, rising linearly to 1.</summary>
    public double WarmupStartFactor { get; init; } = 0.1;
}
