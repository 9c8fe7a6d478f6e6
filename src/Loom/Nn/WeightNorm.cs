using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Nn;

/// <summary>
/// Weight normalization (Salimans &amp; Kingma 2016), as torch.nn.utils.weight_norm(layer, dim=0):
/// weight = g · v / ‖v‖ with the norm over every dimension but the output one, so the direction and the
/// scale of each output unit's weights are learned separately. Parameters `weight_g`, `weight_v`, `bias`
/// (PyTorch's names), initialized so that the layer computes exactly what it computed before.
/// </summary>
public sealed class WeightNorm : ReparametrizedLayer
{
#pragma warning disable IDE1006
    readonly Parameter weight_g;
    readonly Parameter weight_v;
#pragma warning restore IDE1006

    public WeightNorm(nn.Module layer) : base(nameof(WeightNorm), layer)
    {
        var weight = WeightOf(layer);
        weight_v = new Parameter(weight); // takes over the tensor's handle
        using (no_grad()) weight_g = new Parameter(NormExceptDim0(weight_v));
        register_parameter("weight_g", weight_g);
        register_parameter("weight_v", weight_v);
    }

    /// <summary>The L2 norm of each output unit's weights, shaped [out, 1, 1, ...] (torch.norm_except_dim(v, 2, 0)).</summary>
    public static Tensor NormExceptDim0(Tensor v)
    {
        var dims = Enumerable.Range(1, (int)v.dim() - 1).Select(d => (long)d).ToArray();
        return v.square().sum(dims, keepdim: true).sqrt();
    }

    protected override Tensor ComputeWeight()
    {
        using var scope = NewDisposeScope();
        return (weight_v * (weight_g / NormExceptDim0(weight_v))).MoveToOuterDisposeScope();
    }
}
