using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Nn;

/// <summary>
/// A Linear or Conv1d/Conv2d layer whose weight is computed at each forward from other tensors (weight norm,
/// spectral norm). TorchSharp's layers take their weight as a Parameter only, so the computed weight cannot be
/// plugged into the original module as PyTorch's hooks do; instead this module keeps the layer's bias and its
/// hyper-parameters and calls the same functional op with the computed weight.
/// </summary>
public abstract class ReparametrizedLayer : nn.Module<Tensor, Tensor>
{
    readonly Func<Tensor, Tensor, Tensor?, Tensor> op;
    // Named as the registered parameter, so that RegisterComponents and `to(device)` treat them as PyTorch would.
#pragma warning disable IDE1006
    protected Parameter? bias;
#pragma warning restore IDE1006

    protected ReparametrizedLayer(string name, nn.Module layer) : base(name)
    {
        op = Functional(layer);
        var b = layer switch { Linear l => l.bias, Convolution c => c.bias, _ => null };
        if (b is not null)
        {
            bias = new Parameter(b.detach().clone());
            register_parameter("bias", bias);
        }
    }

    /// <summary>Whether a layer can be reparametrized (Linear, Conv1d, Conv2d with zero padding).</summary>
    public static bool Supports(nn.Module layer) =>
        layer is Linear || layer is Conv1d or Conv2d && ((Convolution)layer).padding_mode == PaddingModes.Zeros;

    /// <summary>The layer's weight at the time of wrapping (initializes the new parameters).</summary>
    protected static Tensor WeightOf(nn.Module layer) => layer switch
    {
        Linear l => l.weight.detach().clone(),
        Convolution c => c.weight.detach().clone(),
        _ => throw new NotSupportedException($"cannot reparametrize a {layer.GetType().Name}"),
    };

    protected abstract Tensor ComputeWeight();

    /// <summary>The bias given to the op: the stored one unless a subclass computes it too (a new tensor, disposed after use).</summary>
    protected virtual Tensor? ComputeBias() => bias;

    public override Tensor forward(Tensor input)
    {
        using var weight = ComputeWeight();
        var b = ComputeBias();
        try { return op(input, weight, b); }
        finally { if (!ReferenceEquals(b, bias)) b?.Dispose(); }
    }

    static Func<Tensor, Tensor, Tensor?, Tensor> Functional(nn.Module layer)
    {
        if (!Supports(layer)) throw new NotSupportedException($"cannot reparametrize a {layer.GetType().Name} (Linear, Conv1d, Conv2d with zero padding only)");
        switch (layer)
        {
            case Linear:
                return (x, w, b) => nn.functional.linear(x, w, b);
            case Conv1d c:
            {
                long stride = c.stride[0], dilation = c.dilation[0], groups = c.groups;
                if (c.padding_type is { } type1) return (x, w, b) => nn.functional.conv1d_padding(x, w, b, stride, type1, dilation, groups);
                long padding = c.padding![0];
                return (x, w, b) => nn.functional.conv1d(x, w, b, stride, padding, dilation, groups);
            }
            default:
            {
                var c = (Conv2d)layer;
                long[] stride = c.stride, dilation = c.dilation;
                long groups = c.groups;
                if (c.padding_type is { } type2) return (x, w, b) => nn.functional.conv2d_padding(x, w, b, stride, type2, dilation, groups);
                long[] padding = c.padding!;
                return (x, w, b) => nn.functional.conv2d(x, w, b, stride, padding, dilation, groups);
            }
        }
    }
}
