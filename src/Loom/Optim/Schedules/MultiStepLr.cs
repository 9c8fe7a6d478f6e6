namespace Loom.Optim.Schedules;

/// <summary>torch.optim.lr_scheduler.MultiStepLR: lr × gamma^(number of milestones ≤ epoch).</summary>
public sealed class MultiStepLr(double baseLr, IReadOnlyList<int> milestones, double gamma) : LrSchedule(baseLr)
{
    public override double At(int epoch) => BaseLr * Math.Pow(gamma, milestones.Count(m => m <= epoch));
}
