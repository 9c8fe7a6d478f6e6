using Loom.Training;
using TorchSharp.Modules;

namespace Loom.Optim;

/// <summary>`optim.name: sgd`'s own keys (torch.optim.SGD's).</summary>
public sealed record SgdOptions
{
    public double Momentum { get; init; }
    public double Dampening { get; init; }
    public bool Nesterov { get; init; }
}

/// <summary>`sgd`: Loom's <see cref="Sgd"/> (TorchSharp's SGD with fused updates).</summary>
public sealed class SgdSpec() : OptimizerSpec<SgdOptions>("sgd")
{
    public override void Validate(OptimSettings s, SgdOptions o)
    {
        SettingCheck.Require(o.Momentum >= 0, "optim.momentum", o.Momentum, "expected a non-negative number");
        SettingCheck.Require(!o.Nesterov || o.Momentum > 0, "optim.nesterov", true, "Nesterov momentum requires optim.momentum > 0");
        SettingCheck.Require(!o.Nesterov || o.Dampening == 0, "optim.nesterov", true, "Nesterov momentum requires optim.dampening = 0");
    }

    public override void Prepare(OptimSettings s) => _ = FusedSgdUpdate.IsUsable;

    public override OptimizerHelper Create(OptimSettings s, SgdOptions o, IReadOnlyList<ParameterGroup> groups) => ParameterGroup.IsSingleDefault(groups)
        ? new Sgd(groups[0].Parameters, s.Lr, o.Momentum, o.Dampening, s.WeightDecay, o.Nesterov)
        : new Sgd(groups.Select(g => new SGD.ParamGroup(g.Parameters, new SGD.Options { LearningRate = g.LrUnder(s), weight_decay = g.WeightDecayUnder(s) })),
            s.Lr, o.Momentum, o.Dampening, s.WeightDecay, o.Nesterov);
}
