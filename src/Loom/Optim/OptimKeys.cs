using Loom.Config;

namespace Loom.Optim;

/// <summary>
/// Which `optim` and `schedule` keys each option reads. OptimSettings and ScheduleSettings hold the union of
/// every option's fields (one record, so checkpoints and parity fixtures keep one shape), so a key that the
/// chosen option ignores — `+optim.momentum=0.9` with `optim=adam`, `schedule.gamma` with `schedule=cosine` —
/// would otherwise train silently under a new signature. This refuses it, as one record per option would.
/// </summary>
public static class OptimKeys
{
    static readonly string[] Shared = ["name", "lr", "weight_decay", "scale_lr", "reference_batch_size", "clip_grad_norm", "clip_grad_value", "accumulate", "nonfinite", "max_skips"];

    static readonly Dictionary<string, string[]> ByOptimizer = new()
    {
        ["sgd"] = ["momentum", "dampening", "nesterov"],
        ["adagrad"] = ["lr_decay", "initial_accumulator_value", "eps"],
        ["adam"] = ["betas", "eps", "amsgrad"],
        ["adamw"] = ["betas", "eps", "amsgrad"],
    };

    static readonly string[] Warmup = ["name", "warmup_epochs", "warmup_steps", "warmup_start_factor"];

    static readonly Dictionary<string, string[]> BySchedule = new()
    {
        ["none"] = [],
        ["step"] = ["step_size", "gamma"],
        ["multistep"] = ["milestones", "gamma"],
        ["exponential"] = ["gamma"],
        ["cosine"] = ["t_max", "eta_min"],
        ["plateau"] = ["factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr", "eps"],
    };

    public static void Check(ConfigNode config)
    {
        Check(config, "optim", "optimizer", Shared, ByOptimizer);
        Check(config, "schedule", "schedule", Warmup, BySchedule);
    }

    static void Check(ConfigNode config, string section, string what, string[] shared, Dictionary<string, string[]> byName)
    {
        if (!config.TryGet<ConfigNode>(section, out var node) || !node.TryGet<string>("name", out var name) || !byName.TryGetValue(name, out var own)) return;
        foreach (var key in node.Keys)
            if (!shared.Contains(key) && !own.Contains(key))
            {
                var users = byName.Where(kv => kv.Value.Contains(key)).Select(kv => kv.Key).ToList();
                throw new ConfigException($"{section}.{key}: not a setting of the {name} {what}" +
                    (users.Count > 0 ? $" (only {string.Join(", ", users)} use it)" : "") + $"; {name} reads {string.Join(", ", shared.Concat(own).Where(k => k != "name"))}");
            }
    }
}
