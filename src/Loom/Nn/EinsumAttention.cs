using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Loom.Nn;

/// <summary>
/// The lecture's self-attention with einsum, on sequences laid out [batch, channels, time]: queries, keys and
/// values are 1×1 convolutions (a linear map per position); dots = einsum("bct,bcs->bts", q, k) / √C,
/// weights = softmax over s, output = einsum("bts,bcs->bct", weights, v).
/// </summary>
public sealed class EinsumAttention : Module<Tensor, Tensor>
{
    // Typed as modules, not Conv1d, so that weight/spectral norm can replace them (Reparametrize).
    readonly Module<Tensor, Tensor> query, key, value;
    readonly double scale;

    public EinsumAttention(long channels) : base(nameof(EinsumAttention))
    {
        query = Conv1d(channels, channels, 1);
        key = Conv1d(channels, channels, 1);
        value = Conv1d(channels, channels, 1);
        scale = 1 / Math.Sqrt(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var q = query.forward(x);
        var k = key.forward(x);
        var v = value.forward(x);
        var dots = einsum("bct,bcs->bts", q, k) * scale;
        var weights = dots.softmax(-1);
        return einsum("bts,bcs->bct", weights, v).MoveToOuterDisposeScope();
    }
}
