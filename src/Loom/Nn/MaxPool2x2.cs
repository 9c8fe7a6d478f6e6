using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Nn;

/// <summary>
/// <c>nn.MaxPool2d(2)</c> with the same values and gradients, bit for bit, in a quarter of the time on CPU.
/// libtorch's NCHW max-pool kernel was the largest single cost of the small CNN's training step (20 % of its
/// CPU time, more than its convolutions' reorders); here the window argmax comes from
/// <see cref="MaxPool2x2Kernel"/> and the values from <c>gather</c> at those indices, so autograd's gradient is
/// <c>gather</c>'s (a scatter into zeros at the same indices max-pool's backward writes). Inputs it does not
/// cover (not float32 on the CPU, not 4-D contiguous, an odd height or width, over 2 GB) go to libtorch's max-pool;
/// so do channels-last inputs (<see cref="ChannelsLast"/>), for which libtorch's kernel is vectorized over channels.
/// </summary>
public sealed class MaxPool2x2() : nn.Module<Tensor, Tensor>(nameof(MaxPool2x2))
{
    public override Tensor forward(Tensor input)
    {
        var shape = input.shape; // one native call: the rest of the forward reads this copy
        if (!Covers(input, shape)) return nn.functional.max_pool2d(input, 2);
        long n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        using var indices = ArgMax(input, n, c, h, w);
        using var planes = input.view(n, c, h * w);
        using var values = planes.gather(2, indices);
        return values.view(n, c, h / 2, w / 2);
    }

    static bool Covers(Tensor input, long[] shape) =>
        input.device_type == DeviceType.CPU && input.dtype == ScalarType.Float32 && shape.Length == 4 && input.is_contiguous()
        && shape[2] % 2 == 0 && shape[3] % 2 == 0 && shape[2] > 0 && shape[3] > 0
        && input.numel() <= int.MaxValue / sizeof(float); // the kernel reads it through one Span

    /// <summary>N×C×(H/2·W/2) int64: each window's argmax as a flat index in its H×W plane.</summary>
    static Tensor ArgMax(Tensor input, long n, long c, long h, long w)
    {
        var indices = empty([n, c, h / 2 * (w / 2)], ScalarType.Int64);
        using var data = input.detach(); // `bytes` of a tensor that records gradients: read only, no graph
        MaxPool2x2Kernel.ArgMax(MemoryMarshal.Cast<byte, float>(data.bytes), MemoryMarshal.Cast<byte, long>(indices.bytes),
            checked((int)(n * c)), (int)h, (int)w);
        return indices;
    }
}
