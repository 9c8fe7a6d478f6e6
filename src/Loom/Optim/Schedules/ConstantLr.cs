namespace Loom.Optim.Schedules;

/// <summary>`schedule=none`: the base LR throughout (warm-up still applies).</summary>
public sealed class ConstantLr(double baseLr) : LrSchedule(baseLr)
{
    public override double At(int epoch) => BaseLr;
}

/// <summary>`schedule.name: none` has no keys of its own.</summary>
public sealed record ConstantLrOptions;

/// <summary>`none`: <see cref="ConstantLr"/>.</summary>
public sealed class ConstantLrSpec() : ScheduleSpec<ConstantLrOptions>("none")
{
    public override LrSchedule Create(ConstantLrOptions o, double baseLr, int epochs, bool maximize) => new ConstantLr(baseLr);
}
