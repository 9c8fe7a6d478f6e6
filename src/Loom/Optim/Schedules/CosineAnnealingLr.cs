namespace Loom.Optim.Schedules;

/// <summary>
/// torch.optim.lr_scheduler.CosineAnnealingLR: eta_min + (lr − eta_min)(1 + cos(π·epoch/T_max))/2. Past T_max
/// it rises again, as PyTorch's (its recursive form and this closed form are the same cosine).
/// </summary>
public sealed class CosineAnnealingLr(double baseLr, int tMax, double etaMin) : LrSchedule(baseLr)
{
    public override double At(int epoch) => etaMin + (BaseLr - etaMin) * (1 + Math.Cos(Math.PI * epoch / tMax)) / 2;
}
