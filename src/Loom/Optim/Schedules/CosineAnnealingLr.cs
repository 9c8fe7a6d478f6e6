using Loom.Training;

namespace Loom.Optim.Schedules;

/// <summary>
/// torch.optim.lr_scheduler.CosineAnnealingLR: eta_min + (lr − eta_min)(1 + cos(π·epoch/T_max))/2. Past T_max
/// it rises again, as PyTorch's (its recursive form and this closed form are the same cosine).
/// </summary>
public sealed class CosineAnnealingLr(double baseLr, int tMax, double etaMin) : LrSchedule(baseLr)
{
    public override double At(int epoch) => etaMin + (BaseLr - etaMin) * (1 + Math.Cos(Math.PI * epoch / tMax)) / 2;
}

/// <summary>`schedule.name: cosine`'s own keys.</summary>
public sealed record CosineAnnealingLrOptions
{
    /// <summary>Cosine half-period in epochs; null = the run's epochs.</summary>
    public int? TMax { get; init; }
    public double EtaMin { get; init; }
}

/// <summary>`cosine`: <see cref="CosineAnnealingLr"/>.</summary>
public sealed class CosineAnnealingLrSpec() : ScheduleSpec<CosineAnnealingLrOptions>("cosine")
{
    public override void Validate(ScheduleSettings s, CosineAnnealingLrOptions o, int epochs)
    {
        SettingCheck.Require(o.TMax is null or > 0, "schedule.t_max", o.TMax, "expected a positive integer or null (the run's epochs)");
        SettingCheck.Require(o.TMax is not null || epochs > 0, "schedule.t_max", o.TMax, "needs epochs > 0");
    }

    public override LrSchedule Create(CosineAnnealingLrOptions o, double baseLr, int epochs, bool maximize) => new CosineAnnealingLr(baseLr, o.TMax ?? epochs, o.EtaMin);
}
