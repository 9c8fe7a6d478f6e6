using Loom.Training;
using TorchSharp;
using TorchSharp.Modules;

namespace Loom.Optim;

/// <summary>`optim.name: adagrad`'s own keys (torch.optim.Adagrad's; conf/optim/adagrad.yaml sets PyTorch's eps, 1e-10).</summary>
public sealed record AdagradOptions
{
    public double LrDecay { get; init; }
    public double InitialAccumulatorValue { get; init; }
    public double Eps { get; init; } = 1e-8;
}

/// <summary>`adagrad`: TorchSharp's Adagrad.</summary>
public sealed class AdagradSpec() : OptimizerSpec<AdagradOptions>("adagrad")
{
    public override void Validate(OptimSettings s, AdagradOptions o)
    {
        SettingCheck.Require(o.LrDecay >= 0, "optim.lr_decay", o.LrDecay, "expected a non-negative number");
        SettingCheck.Require(o.InitialAccumulatorValue >= 0, "optim.initial_accumulator_value", o.InitialAccumulatorValue, "expected a non-negative number");
        SettingCheck.Require(o.Eps >= 0, "optim.eps", o.Eps, "expected a non-negative number");
    }

    public override OptimizerHelper Create(OptimSettings s, AdagradOptions o, IReadOnlyList<ParameterGroup> groups) => ParameterGroup.IsSingleDefault(groups)
        ? torch.optim.Adagrad(groups[0].Parameters, s.Lr, o.LrDecay, s.WeightDecay, o.InitialAccumulatorValue, o.Eps)
        : torch.optim.Adagrad(groups.Select(g => new Adagrad.ParamGroup(g.Parameters, new Adagrad.Options { LearningRate = g.LrUnder(s), weight_decay = g.WeightDecayUnder(s) })),
            s.Lr, o.LrDecay, s.WeightDecay, o.InitialAccumulatorValue, o.Eps);
}
