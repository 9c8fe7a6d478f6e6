namespace Loom.Optim.Schedules;

/// <summary>
/// Linear warm-up (Goyal et al. 2017), as torch.optim.lr_scheduler.LinearLR(start_factor, 1, total_iters)
/// chained with the main schedule: the factor rises from `startFactor` at t = 0 to 1 at t = length and
/// multiplies the schedule's LR. t counts epochs or optimizer steps.
/// </summary>
public sealed class LinearWarmup(int length, double startFactor, bool perStep)
{
    public bool PerStep { get; } = perStep;

    public double Factor(long t) => length <= 0 || t >= length ? 1.0 : startFactor + (1 - startFactor) * t / length;
}
