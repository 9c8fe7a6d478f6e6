namespace Loom.Optim.Schedules;

/// <summary>torch.optim.lr_scheduler.ExponentialLR: lr × gamma^epoch.</summary>
public sealed class ExponentialLr(double baseLr, double gamma) : LrSchedule(baseLr)
{
    public override double At(int epoch) => BaseLr * Math.Pow(gamma, epoch);
}
