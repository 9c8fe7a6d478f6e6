using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Nn;

/// <summary>
/// The lecture's reparametrization G(y) = F(λ·y) ("How to mess up with SGD"): the layer's weight and bias are
/// computed as λ times the stored parameters `weight` and `bias`, which start at the layer's own values
/// divided by λ, so the layer computes the same function at initialization. The gradient with respect to y
/// is λ times the gradient with respect to the weight, so SGD with step γ on y moves the weight by γλ² times
/// its gradient: the same run as SGD on the plain layer with step γλ².
/// </summary>
public sealed class ScaledLayer : ReparametrizedLayer
{
    /// <summary>λ: the factor between the stored parameters and the weights the layer computes with.</summary>
    public double Lambda { get; }

#pragma warning disable IDE1006
    readonly Parameter weight;
#pragma warning restore IDE1006
    readonly Scalar factor; // one native scalar for every forward

    public ScaledLayer(nn.Module layer, double lambda) : base(nameof(ScaledLayer), layer)
    {
        if (!(lambda > 0) || double.IsInfinity(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "expected a positive finite number");
        Lambda = lambda;
        factor = lambda;
        weight = new Parameter(WeightOf(layer).div_(lambda)); // takes over the tensor's handle
        register_parameter("weight", weight);
        if (bias is not null) using (no_grad()) bias.div_(lambda);
    }

    protected override Tensor ComputeWeight() => weight * factor;

    protected override Tensor? ComputeBias() => bias is null ? null : bias * factor;
}
