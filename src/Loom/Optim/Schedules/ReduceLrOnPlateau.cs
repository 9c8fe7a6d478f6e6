using Loom.Training;
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

/// <summary>`schedule.name: plateau`'s own keys (ReduceLROnPlateau's).</summary>
public sealed record ReduceLrOnPlateauOptions
{
    public double Factor { get; init; } = 0.1;
    public int Patience { get; init; } = 10;
    public double Threshold { get; init; } = 1e-4;
    /// <summary>`rel` or `abs`, as ReduceLROnPlateau's threshold_mode.</summary>
    public string ThresholdMode { get; init; } = "rel";
    public int Cooldown { get; init; }
    public double MinLr { get; init; }
    public double Eps { get; init; } = 1e-8;
}

/// <summary>`plateau`: <see cref="ReduceLrOnPlateau"/> on the monitored metric.</summary>
public sealed class ReduceLrOnPlateauSpec() : ScheduleSpec<ReduceLrOnPlateauOptions>("plateau")
{
    public override bool NeedsMetric => true;

    public override void Validate(ScheduleSettings s, ReduceLrOnPlateauOptions o, int epochs)
    {
        SettingCheck.Require(o.Factor is > 0 and < 1, "schedule.factor", o.Factor, "expected a number in (0, 1)");
        SettingCheck.Require(o.Patience >= 0, "schedule.patience", o.Patience, "expected a non-negative integer");
        SettingCheck.Require(o.Threshold >= 0, "schedule.threshold", o.Threshold, "expected a non-negative number");
        SettingCheck.Require(o.ThresholdMode is "rel" or "abs", "schedule.threshold_mode", o.ThresholdMode, "expected rel or abs");
        SettingCheck.Require(o.Cooldown >= 0, "schedule.cooldown", o.Cooldown, "expected a non-negative integer");
        SettingCheck.Require(o.MinLr >= 0, "schedule.min_lr", o.MinLr, "expected a non-negative number");
    }

    public override LrSchedule Create(ReduceLrOnPlateauOptions o, double baseLr, int epochs, bool maximize) =>
        new ReduceLrOnPlateau(baseLr, maximize, o.Factor, o.Patience, o.Threshold, o.ThresholdMode, o.Cooldown, o.MinLr, o.Eps);
}
