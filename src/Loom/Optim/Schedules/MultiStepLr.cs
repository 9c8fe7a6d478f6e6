using Loom.Training;

namespace Loom.Optim.Schedules;

/// <summary>torch.optim.lr_scheduler.MultiStepLR: lr × gamma^(number of milestones ≤ epoch).</summary>
public sealed class MultiStepLr(double baseLr, IReadOnlyList<int> milestones, double gamma) : LrSchedule(baseLr)
{
    public override double At(int epoch) => BaseLr * Math.Pow(gamma, milestones.Count(m => m <= epoch));
}

/// <summary>`schedule.name: multistep`'s own keys.</summary>
public sealed record MultiStepLrOptions
{
    public int[] Milestones { get; init; } = [];
    public double Gamma { get; init; } = 0.1;
}

/// <summary>`multistep`: <see cref="MultiStepLr"/>.</summary>
public sealed class MultiStepLrSpec() : ScheduleSpec<MultiStepLrOptions>("multistep")
{
    public override void Validate(ScheduleSettings s, MultiStepLrOptions o, int epochs)
    {
        SettingCheck.Require(o.Gamma > 0, "schedule.gamma", o.Gamma, "expected a positive number");
        SettingCheck.Require(o.Milestones.Zip(o.Milestones.Skip(1)).All(p => p.First < p.Second) && o.Milestones.All(m => m > 0),
            "schedule.milestones", o.Milestones, "expected increasing positive epochs");
    }

    public override LrSchedule Create(MultiStepLrOptions o, double baseLr, int epochs, bool maximize) => new MultiStepLr(baseLr, o.Milestones, o.Gamma);
}
