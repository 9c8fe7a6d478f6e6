using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Optim;

/// <summary>
/// torch.optim.SGD (momentum, dampening, Nesterov, weight decay), as TorchSharp's <see cref="SGD"/> whose
/// options and state it keeps (checkpoints are unchanged), with one difference in memory only: the decayed and
/// Nesterov gradients are freed as soon as their parameter is updated. TorchSharp's step keeps them in one
/// dispose scope until the whole step ends (45 MB for ResNet-18), which made it 1.2–1.3× slower than PyTorch's,
/// which frees each before the next parameter and so reuses a cache-warm block (docs/benchmarks.md).
/// </summary>
public sealed class Sgd(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0,
    double weightDecay = 0, bool nesterov = false) : SGD(parameters, lr, momentum, dampening, weightDecay, nesterov)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        double momentum = options.momentum!.Value, dampening = options.dampening!.Value, weightDecay = options.weight_decay!.Value;
        bool nesterov = options.nesterov!.Value;
        double alpha = options.maximize!.Value ? options.LearningRate!.Value : -options.LearningRate!.Value;
        foreach (var param in group.Parameters)
        {
            using var grad = param.grad;
            if (grad is null) continue;
            var state = (State)_state[param.Handle];
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
    }, closure);
}
