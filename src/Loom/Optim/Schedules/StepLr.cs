using Loom.Training;

namespace Loom.Optim.Schedules;

/// <summary>torch.optim.lr_scheduler.StepLR: lr × gamma^⌊epoch / step_size⌋.</summary>
public sealed class StepLr(double baseLr, int stepSize, double gamma) : LrSchedule(baseLr)
{
    public override double At(int epoch) => BaseLr * Math.Pow(gamma, epoch / stepSize);
}

/// <summary>`schedule.name: step`'s own keys.</summary>
public sealed record StepLrOptions
{
    public int StepSize { get; init; } = 30;
    public double Gamma { get; init; } = 0.1;
}

/// <summary>`step`: <see cref="StepLr"/>.</summary>
public sealed class StepLrSpec() : ScheduleSpec<StepLrOptions>("step")
{
    public override void Validate(ScheduleSettings s, StepLrOptions o, int epochs)
    {
        SettingCheck.Require(o.StepSize > 0, "schedule.step_size", o.StepSize, "expected a positive integer");
        SettingCheck.Require(o.Gamma > 0, "schedule.gamma", o.Gamma, "expected a positive number");
    }

    public override LrSchedule Create(StepLrOptions o, double baseLr, int epochs, bool maximize) => new StepLr(baseLr, o.StepSize, o.Gamma);
}
