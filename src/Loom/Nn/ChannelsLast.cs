using static TorchSharp.torch;

namespace Loom.Nn;

/// <summary>
/// PyTorch's <c>x.contiguous(memory_format=torch.channels_last)</c>, which TorchSharp 0.107 lacks: the same N×C×H×W
/// tensor with its values stored N, H, W, C. Why a model would: libtorch runs oneDNN convolutions on such an input in
/// NHWC, where a plain NCHW one is reordered into oneDNN's blocked layout and back around every convolution, forward
/// and backward. For the small CNN those reorders were ~2 ms per training step, against ~0.07 ms channels-last (docs/benchmarks.md).
/// </summary>
public static class ChannelsLast
{
    /// <summary>A new tensor (a view when no copy is needed) with <paramref name="input"/>'s values in NHWC order.</summary>
    public static Tensor Of(Tensor input)
    {
        if (input.dim() != 4) throw new ArgumentException($"channels-last needs an N×C×H×W tensor, got {input.dim()} dimensions");
        var shape = input.shape;
        // One channel: NCHW and NHWC are the same bytes; only the strides tell libtorch which layout is meant
        // (it reads a size-1 channel as NCHW unless the channel stride is 1).
        if (shape[1] == 1 && input.is_contiguous()) return input.as_strided(shape, [shape[2] * shape[3], 1, shape[3], 1]);
        using var nhwc = input.permute(0, 2, 3, 1).contiguous();
        return nhwc.permute(0, 3, 1, 2);
    }
}
