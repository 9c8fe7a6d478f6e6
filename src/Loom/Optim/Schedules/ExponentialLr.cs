using Loom.Training;

namespace Loom.Optim.Schedules;

/// <summary>torch.optim.lr_scheduler.ExponentialLR: lr × gamma^epoch.</summary>
public sealed class ExponentialLr(double baseLr, double gamma) : LrSchedule(baseLr)
{
    public override double At(int epoch) => BaseLr * Math.Pow(gamma, epoch);
}

/// <summary>`schedule.name: exponential`'s own keys.</summary>
public sealed record ExponentialLrOptions
{
    public double Gamma { get; init; } = 0.1;
}

/// <summary>`exponential`: <see cref="ExponentialLr"/>.</summary>
public sealed class ExponentialLrSpec() : ScheduleSpec<ExponentialLrOptions>("exponential")
{
    public override void Validate(ScheduleSettings s, ExponentialLrOptions o, int epochs) =>
        SettingCheck.Require(o.Gamma > 0, "schedule.gamma", o.Gamma, "expected a positive number");

    public override LrSchedule Create(ExponentialLrOptions o, double baseLr, int epochs, bool maximize) => new ExponentialLr(baseLr, o.Gamma);
}
