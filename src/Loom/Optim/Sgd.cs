using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Optim;

/// <summary>
/// torch.optim.SGD (momentum, dampening, Nesterov, weight decay), as TorchSharp's <see cref="SGD"/> whose
/// options and state it keeps (checkpoints are unchanged), with the same values and two differences in cost:
/// <list type="bullet">
/// <item>each float32 CPU parameter is updated in one pass over its memory (<see cref="FusedSgdUpdate"/>, PyTorch's
/// <c>fused=True</c>) where that loop reproduces libtorch's operations bit for bit; <c>fused</c> false
/// keeps the operations (benchmarks, tests);</item>
/// <item>otherwise the decayed and Nesterov gradients are freed as soon as their parameter is updated. TorchSharp's
/// step keeps them in one dispose scope until the whole step ends (45 MB for ResNet-18), which made it 1.2–1.3×
/// slower than PyTorch's, which frees each before the next parameter and so reuses a cache-warm block.</item>
/// </list>
/// (docs/benchmarks.md, "Optimizer step".)
/// </summary>
public sealed class Sgd : SGD
{
    readonly bool fused;

    public Sgd(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false, bool fused = true)
        : base(parameters, lr, momentum, dampening, weightDecay, nesterov) => this.fused = fused;

    /// <summary>Over parameter groups, each with its own options (unset ones take these); see <see cref="ParameterGroup"/>.</summary>
    public Sgd(IEnumerable<ParamGroup> groups, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false, bool fused = true)
        : base(groups, lr, momentum, dampening, weightDecay, nesterov) => this.fused = fused;

    /// <summary>How many parameter tensors the last step updated in one pass; the rest went through libtorch's operations.</summary>
    public int FusedTensors { get; private set; }

    public override Tensor step(Func<Tensor>? closure = null)
    {
        FusedTensors = 0;
        return _step<ParamGroup>(group =>
        {
            var options = group.Options;
            double momentum = options.momentum!.Value, dampening = options.dampening!.Value, weightDecay = options.weight_decay!.Value;
            bool nesterov = options.nesterov!.Value;
            double alpha = options.maximize!.Value ? options.LearningRate!.Value : -options.LearningRate!.Value;
            var coefficients = FusedSgdUpdate.Coefficients.Of(weightDecay, momentum, dampening, nesterov, alpha);
            foreach (var param in group.Parameters)
            {
                using var grad = param.grad;
                if (grad is null) continue;
                var state = (State)_state[param.Handle];
                if (fused && FusedSgdUpdate.IsUsable && StepFused(param, grad, state, momentum != 0, coefficients)) FusedTensors++;
                else StepUnfused(param, grad, state, momentum, dampening, weightDecay, nesterov, alpha);
            }
        }, closure);
    }

    /// <summary>One parameter in one pass; false (nothing done) where a tensor is not float32, CPU and contiguous.</summary>
    static bool StepFused(Parameter param, Tensor grad, State state, bool momentum, in FusedSgdUpdate.Coefficients c)
    {
        if (!FloatTensors.Fits(param) || !FloatTensors.Fits(grad) || grad.numel() != param.numel()) return false;
        bool first = momentum && state.momentum_buffer is null;
        if (momentum && !first && (!FloatTensors.Fits(state.momentum_buffer!) || state.momentum_buffer!.numel() != param.numel())) return false;
        if (first) state.momentum_buffer = empty_like(param).DetachFromDisposeScope(); // written whole by the first step
        FusedSgdUpdate.Apply(FloatTensors.Elements(param), FloatTensors.Elements(grad),
            momentum ? FloatTensors.Elements(state.momentum_buffer!) : default, first, c);
        return true;
    }

    /// <summary>One parameter through libtorch's operations, each temporary freed at once.</summary>
    static void StepUnfused(Parameter param, Tensor grad, State state, double momentum, double dampening, double weightDecay, bool nesterov, double alpha)
    {
        using var decayed = weightDecay != 0 ? grad.add(param, alpha: weightDecay) : null;
        var d = decayed ?? grad;
        Tensor? look = null;
        if (momentum != 0)
        {
            if (state.momentum_buffer is null) state.momentum_buffer = d.clone().detach().DetachFromDisposeScope();
            else state.momentum_buffer.mul_(momentum).add_(d, alpha: 1 - dampening);
            d = nesterov ? look = d.add(state.momentum_buffer, alpha: momentum) : state.momentum_buffer;
        }
        param.add_(d, alpha: alpha);
        look?.Dispose();
    }
}
