using System.Text.Json.Nodes;

namespace Loom.Optim.Schedules;

/// <summary>
/// torch.optim.lr_scheduler.ReduceLROnPlateau on the monitored metric: after more than `patience` epochs
/// without improvement (by `threshold`, relative or absolute), lr ← max(lr × factor, min_lr), then
/// `cooldown` epochs of rest. Its state (the metric's best, the counters, the current LR) is saved.
/// </summary>
public sealed class ReduceLrOnPlateau : LrSchedule
{
    readonly bool maximize;
    readonly double factor, threshold, minLr, eps;
    readonly int patience, cooldown;
    readonly bool relative;
    double lr;
    double best;
    int badEpochs, cooldownCounter;

    public ReduceLrOnPlateau(double baseLr, bool maximize, double factor, int patience, double threshold, string thresholdMode,
        int cooldown, double minLr, double eps) : base(baseLr)
    {
        this.maximize = maximize;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        relative = thresholdMode switch
        {
            "rel" => true,
            "abs" => false,
            _ => throw new ArgumentException($"schedule.threshold_mode: '{thresholdMode}' (expected rel or abs)"),
        };
        this.cooldown = cooldown;
        this.minLr = minLr;
        this.eps = eps;
        lr = baseLr;
        best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
    }

    public override double At(int epoch) => lr;

    public override void EpochEnded(double metric)
    {
        if (IsBetter(metric)) { best = metric; badEpochs = 0; }
        else badEpochs++;
        if (cooldownCounter > 0) { cooldownCounter--; badEpochs = 0; }
        if (badEpochs > patience)
        {
            double reduced = Math.Max(lr * factor, minLr);
            if (lr - reduced > eps) lr = reduced;
            cooldownCounter = cooldown;
            badEpochs = 0;
        }
    }

    bool IsBetter(double a) => (maximize, relative) switch
    {
        (false, true) => a < best * (1 - threshold),
        (false, false) => a < best - threshold,
        (true, true) => a > best * (1 + threshold),
        (true, false) => a > best + threshold,
    };

    // JSON has no infinity: the initial best is written as null.
    public override JsonObject State() => new()
    {
        ["lr"] = lr,
        ["best"] = double.IsInfinity(best) ? null : best,
        ["bad_epochs"] = badEpochs,
        ["cooldown_counter"] = cooldownCounter,
    };

    public override void Restore(JsonObject state)
    {
        lr = state["lr"]!.GetValue<double>();
        best = state["best"]?.GetValue<double>() ?? (maximize ? double.NegativeInfinity : double.PositiveInfinity);
        badEpochs = state["bad_epochs"]!.GetValue<int>();
        cooldownCounter = state["cooldown_counter"]!.GetValue<int>();
    }
}
