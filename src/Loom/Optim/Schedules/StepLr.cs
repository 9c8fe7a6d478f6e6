namespace Loom.Optim.Schedules;

/// <summary>torch.optim.lr_scheduler.StepLR: lr × gamma^⌊epoch / step_size⌋.</summary>
public sealed class StepLr(double baseLr, int stepSize, double gamma) : LrSchedule(baseLr)
{
    public override double At(int epoch) => BaseLr * Math.Pow(gamma, epoch / stepSize);
}
