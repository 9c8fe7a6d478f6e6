using Loom.Training;
using TorchSharp.Modules;

namespace Loom.Optim;

/// <summary>`optim.name: adam` and `adamw`'s own keys (torch.optim.Adam's).</summary>
public sealed record AdamOptions
{
    public double[] Betas { get; init; } = [0.9, 0.999];
    public double Eps { get; init; } = 1e-8;
    public bool Amsgrad { get; init; }
}

/// <summary>`adam` (L2 weight decay) and `adamw` (decoupled weight decay): Loom's <see cref="Adam"/> and <see cref="AdamW"/>.</summary>
public sealed class AdamSpec(string name, bool decoupled) : OptimizerSpec<AdamOptions>(name)
{
    public override void Validate(OptimSettings s, AdamOptions o)
    {
        SettingCheck.Require(o.Betas.Length == 2, "optim.betas", $"[{string.Join(", ", o.Betas)}]", "expected two numbers [beta1, beta2]");
        for (int i = 0; i < 2; i++)
            SettingCheck.Require(o.Betas[i] is >= 0 and < 1, "optim.betas", o.Betas, $"beta{i + 1} must be in [0, 1)");
        SettingCheck.Require(o.Eps >= 0, "optim.eps", o.Eps, "expected a non-negative number");
    }

    public override void Prepare(OptimSettings s) => _ = FusedAdamUpdate.IsUsable;

    public override OptimizerHelper Create(OptimSettings s, AdamOptions o, IReadOnlyList<ParameterGroup> groups)
    {
        double beta1 = o.Betas[0], beta2 = o.Betas[1];
        if (ParameterGroup.IsSingleDefault(groups))
            return decoupled ? new AdamW(groups[0].Parameters, s.Lr, beta1, beta2, o.Eps, s.WeightDecay, o.Amsgrad)
                : new Adam(groups[0].Parameters, s.Lr, beta1, beta2, o.Eps, s.WeightDecay, o.Amsgrad);
        return decoupled
            ? new AdamW(groups.Select(g => new TorchSharp.Modules.AdamW.ParamGroup(g.Parameters, new TorchSharp.Modules.AdamW.Options { LearningRate = g.LrUnder(s), weight_decay = g.WeightDecayUnder(s) })),
                s.Lr, beta1, beta2, o.Eps, s.WeightDecay, o.Amsgrad)
            : new Adam(groups.Select(g => new TorchSharp.Modules.Adam.ParamGroup(g.Parameters, new TorchSharp.Modules.Adam.Options { LearningRate = g.LrUnder(s), weight_decay = g.WeightDecayUnder(s) })),
                s.Lr, beta1, beta2, o.Eps, s.WeightDecay, o.Amsgrad);
    }
}
