using Loom.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Optim;

/// <summary>
/// Parameters the optimizer treats alike (PyTorch's param_groups): their LR is the scheduled LR × <see cref="LrScale"/>
/// (the schedule and the warm-up scale it, never overwrite it) and their weight decay is <see cref="WeightDecay"/>, or
/// `optim.weight_decay` when null. An optimizer spec builds one optimizer param group per <see cref="ParameterGroup"/>, in order.
/// </summary>
public sealed record ParameterGroup(IReadOnlyList<Parameter> Parameters)
{
    /// <summary>This group's LR as a multiple of the scheduled one (1: the same).</summary>
    public double LrScale { get; init; } = 1;

    /// <summary>This group's weight decay; null: `optim.weight_decay`.</summary>
    public double? WeightDecay { get; init; }

    /// <summary>The group's initial LR under <paramref name="s"/> (`optim.lr` × <see cref="LrScale"/>).</summary>
    public double LrUnder(OptimSettings s) => LrScale == 1 ? s.Lr : s.Lr * LrScale;

    /// <summary>The group's weight decay under <paramref name="s"/>.</summary>
    public double WeightDecayUnder(OptimSettings s) => WeightDecay ?? s.WeightDecay;

    /// <summary>Whether the groups are one group with the shared settings (the optimizer is then built as before groups existed).</summary>
    public static bool IsSingleDefault(IReadOnlyList<ParameterGroup> groups) => groups is [{ LrScale: 1, WeightDecay: null }];

    /// <summary>
    /// The groups of a task that does not choose its own: every parameter in one group, or with
    /// `optim.no_decay_norm_and_bias` two, the second (biases and the weights of normalization layers) without weight decay.
    /// </summary>
    public static IReadOnlyList<ParameterGroup> Default(nn.Module model, IEnumerable<Parameter> parameters, OptimSettings optim)
    {
        var all = parameters.ToList();
        if (!optim.NoDecayNormAndBias) return [new ParameterGroup(all)];
        var (decay, noDecay) = NormsAndBiases.Split(model, all);
        return noDecay.Count == 0 ? [new ParameterGroup(decay)] : [new ParameterGroup(decay), new ParameterGroup(noDecay) { WeightDecay = 0 }];
    }
}
