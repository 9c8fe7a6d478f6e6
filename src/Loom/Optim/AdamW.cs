using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Optim;

/// <summary>
/// torch.optim.AdamW as TorchSharp's (its options and state: checkpoints are unchanged), with PyTorch's
/// <c>fused=True</c> as the default: each parameter is updated by <see cref="FusedAdamUpdate"/>'s loops with the same
/// values bit for bit, where every tensor allows it; else, and with <c>fused</c> false, TorchSharp's step.
/// </summary>
// Adam.cs is the same adapter over TorchSharp's Adam: the two share no base class that holds their options and state.
public sealed class AdamW : TorchSharp.Modules.AdamW
{
    readonly bool fused;

    public AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weightDecay = 0.01, bool amsgrad = false, bool maximize = false, bool fused = true)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize) => this.fused = fused;

    /// <summary>Over parameter groups, each with its own options (unset ones take these); see <see cref="ParameterGroup"/>.</summary>
    public AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weightDecay = 0.01, bool amsgrad = false, bool maximize = false, bool fused = true)
        : base(groups, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize) => this.fused = fused;

    /// <summary>How many parameter tensors the last step updated in the fused loops (0: TorchSharp's step ran).</summary>
    public int FusedTensors { get; private set; }

    public override Tensor step(Func<Tensor>? closure = null)
    {
        FusedTensors = 0;
        if (!fused || !FusedAdamUpdate.CanStep(_parameter_groups, p => _state[p.Handle])) return base.step(closure);
        return _step<ParamGroup>(group => FusedTensors += FusedAdamUpdate.StepGroup(group, p => _state[p.Handle], decoupled: true), closure);
    }
}
