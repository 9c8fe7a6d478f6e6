using System.Globalization;
using Loom.Config;
using Loom.Optim.Schedules;
using Loom.Training;

namespace Loom.Optim;

/// <summary>
/// Refuses invalid optimizer and schedule settings before training starts, with a one-line
/// <see cref="ConfigException"/> naming the key and its value (the same checks as PyTorch's constructors).
/// </summary>
public static class OptimSettingsValidator
{
    public static void Validate(OptimSettings o, ScheduleSettings s, int epochs)
    {
        Require(OptimizerFactory.Names.Contains(o.Name), "optim.name", o.Name, $"unknown optimizer (expected one of {string.Join(", ", OptimizerFactory.Names)})");
        Require(o.Lr > 0 && double.IsFinite(o.Lr), "optim.lr", o.Lr, "expected a positive finite number");
        Require(o.WeightDecay >= 0, "optim.weight_decay", o.WeightDecay, "expected a non-negative number");
        switch (o.Name)
        {
            case "sgd":
                Require(o.Momentum >= 0, "optim.momentum", o.Momentum, "expected a non-negative number");
                Require(!o.Nesterov || o.Momentum > 0, "optim.nesterov", true, "Nesterov momentum requires optim.momentum > 0");
                Require(!o.Nesterov || o.Dampening == 0, "optim.nesterov", true, "Nesterov momentum requires optim.dampening = 0");
                break;
            case "adagrad":
                Require(o.LrDecay >= 0, "optim.lr_decay", o.LrDecay, "expected a non-negative number");
                Require(o.InitialAccumulatorValue >= 0, "optim.initial_accumulator_value", o.InitialAccumulatorValue, "expected a non-negative number");
                Require(o.Eps >= 0, "optim.eps", o.Eps, "expected a non-negative number");
                break;
            case "adam" or "adamw":
                Require(o.Betas.Length == 2, "optim.betas", $"[{string.Join(", ", o.Betas)}]", "expected two numbers [beta1, beta2]");
                for (int i = 0; i < 2; i++)
                    Require(o.Betas[i] is >= 0 and < 1, "optim.betas", $"[{string.Join(", ", o.Betas.Select(b => Text(b)))}]", $"beta{i + 1} must be in [0, 1)");
                Require(o.Eps >= 0, "optim.eps", o.Eps, "expected a non-negative number");
                break;
        }
        Require(LrScaling.Names.Contains(o.ScaleLr), "optim.scale_lr", o.ScaleLr, $"expected one of {string.Join(", ", LrScaling.Names)}");
        Require(o.ReferenceBatchSize > 0, "optim.reference_batch_size", o.ReferenceBatchSize, "expected a positive integer");
        Require(o.ClipGradNorm is null or > 0, "optim.clip_grad_norm", o.ClipGradNorm, "expected a positive number or null");
        Require(o.ClipGradValue is null or > 0, "optim.clip_grad_value", o.ClipGradValue, "expected a positive number or null");
        Require(o.Accumulate >= 1, "optim.accumulate", o.Accumulate, "expected a positive integer");
        Require(NonFiniteSteps.Modes.Contains(o.Nonfinite), "optim.nonfinite", o.Nonfinite, $"expected one of {string.Join(", ", NonFiniteSteps.Modes)}");
        Require(o.MaxSkips >= 0, "optim.max_skips", o.MaxSkips, "expected a non-negative integer");

        Require(LrSchedule.Names.Contains(s.Name), "schedule.name", s.Name, $"unknown schedule (expected one of {string.Join(", ", LrSchedule.Names)})");
        Require(s.StepSize > 0, "schedule.step_size", s.StepSize, "expected a positive integer");
        Require(s.Gamma > 0, "schedule.gamma", s.Gamma, "expected a positive number");
        Require(s.Milestones.Zip(s.Milestones.Skip(1)).All(p => p.First < p.Second) && s.Milestones.All(m => m > 0),
            "schedule.milestones", $"[{string.Join(", ", s.Milestones)}]", "expected increasing positive epochs");
        Require(s.TMax is null or > 0, "schedule.t_max", s.TMax, "expected a positive integer or null (the run's epochs)");
        Require(s.Name != "cosine" || s.TMax is not null || epochs > 0, "schedule.t_max", s.TMax, "needs epochs > 0");
        Require(s.Factor is > 0 and < 1, "schedule.factor", s.Factor, "expected a number in (0, 1)");
        Require(s.Patience >= 0, "schedule.patience", s.Patience, "expected a non-negative integer");
        Require(s.Threshold >= 0, "schedule.threshold", s.Threshold, "expected a non-negative number");
        Require(s.ThresholdMode is "rel" or "abs", "schedule.threshold_mode", s.ThresholdMode, "expected rel or abs");
        Require(s.Cooldown >= 0, "schedule.cooldown", s.Cooldown, "expected a non-negative integer");
        Require(s.MinLr >= 0, "schedule.min_lr", s.MinLr, "expected a non-negative number");
        Require(s.WarmupEpochs >= 0, "schedule.warmup_epochs", s.WarmupEpochs, "expected a non-negative integer");
        Require(s.WarmupSteps >= 0, "schedule.warmup_steps", s.WarmupSteps, "expected a non-negative integer");
        Require(s.WarmupEpochs == 0 || s.WarmupSteps == 0, "schedule.warmup_steps", s.WarmupSteps, "set warmup_epochs or warmup_steps, not both");
        Require(s.WarmupStartFactor is > 0 and <= 1, "schedule.warmup_start_factor", s.WarmupStartFactor, "expected a number in (0, 1]");
    }

    static void Require(bool ok, string key, object? value, string expected)
    {
        if (!ok) throw new ConfigException($"{key}={Text(value)}: {expected}");
    }

    static string Text(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => PyFloat.Repr(d), // as the user wrote it in YAML: 1e-08, 0.1
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
