using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Nn;

/// <summary>
/// Spectral normalization (Miyato et al. 2018), as torch.nn.utils.spectral_norm(layer, dim=0): weight =
/// weight_orig / σ, σ ≈ the largest singular value of weight_orig viewed as [out, rest], estimated by power
/// iteration. The singular vectors `weight_u` and `weight_v` are persistent buffers (saved in checkpoints);
/// each training forward refines them by `powerIterations` steps, evaluation reuses them as they are.
/// </summary>
public sealed class SpectralNorm : ReparametrizedLayer
{
    readonly int powerIterations;
    readonly double eps;
#pragma warning disable IDE1006
    readonly Parameter weight_orig;
    readonly Tensor weight_u;
    readonly Tensor weight_v;
#pragma warning restore IDE1006

    public SpectralNorm(nn.Module layer, int powerIterations = 1, double eps = 1e-12) : base(nameof(SpectralNorm), layer)
    {
        if (powerIterations < 0) throw new ArgumentOutOfRangeException(nameof(powerIterations));
        this.powerIterations = powerIterations;
        this.eps = eps;
        weight_orig = new Parameter(WeightOf(layer));
        long h = weight_orig.shape[0], w = weight_orig.numel() / h;
        using (no_grad())
        {
            weight_u = Normalize(randn(h, dtype: weight_orig.dtype), eps).detach();
            weight_v = Normalize(randn(w, dtype: weight_orig.dtype), eps).detach();
        }
        register_parameter("weight_orig", weight_orig);
        register_buffer("weight_u", weight_u);
        register_buffer("weight_v", weight_v);
    }

    /// <summary>The current estimate of σ (no power iteration).</summary>
    public double Sigma()
    {
        using var noGrad = no_grad();
        using var matrix = weight_orig.reshape(weight_orig.shape[0], -1);
        using var mv = matrix.mv(weight_v);
        return weight_u.dot(mv).ToDouble();
    }

    static Tensor Normalize(Tensor x, double eps) => x / x.norm().clamp_min(eps);

    protected override Tensor ComputeWeight()
    {
        using var scope = NewDisposeScope();
        var matrix = weight_orig.reshape(weight_orig.shape[0], -1);
        if (training && powerIterations > 0)
        {
            // In place, as PyTorch, so that the buffers carry the estimate from one step to the next.
            using var noGrad = no_grad();
            for (int i = 0; i < powerIterations; i++)
            {
                weight_v.copy_(Normalize(matrix.t().mv(weight_u), eps));
                weight_u.copy_(Normalize(matrix.mv(weight_v), eps));
            }
        }
        // u and v are constants for autograd (PyTorch clones them after the in-place updates).
        var sigma = weight_u.clone().dot(matrix.mv(weight_v.clone()));
        return (weight_orig / sigma).MoveToOuterDisposeScope();
    }
}
