using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Optim;

/// <summary>The elements of float32 CPU tensors as spans, for the optimizers' one-pass update loops.</summary>
public static class FloatTensors
{
    /// <summary>Whether <paramref name="tensor"/> can be read and updated through its memory: float32, CPU, contiguous, dense.</summary>
    public static bool Fits(Tensor tensor) =>
        tensor.dtype == ScalarType.Float32 && tensor.device_type == DeviceType.CPU && tensor.is_contiguous() && !tensor.is_sparse;

    /// <summary>The elements of a tensor that <see cref="Fits"/> (TorchSharp's <c>bytes</c> is a span over them).</summary>
    public static Span<float> Elements(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes);

    /// <summary>Whether two tensors that fit hold the same bits (NaNs and signed zeros included).</summary>
    public static bool SameBits(Tensor a, Tensor b) =>
        MemoryMarshal.Cast<float, int>(Elements(a)).SequenceEqual(MemoryMarshal.Cast<float, int>(Elements(b)));
}
