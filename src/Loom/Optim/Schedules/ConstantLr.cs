namespace Loom.Optim.Schedules;

/// <summary>`schedule=none`: the base LR throughout (warm-up still applies).</summary>
public sealed class ConstantLr(double baseLr) : LrSchedule(baseLr)
{
    public override double At(int epoch) => BaseLr;
}
