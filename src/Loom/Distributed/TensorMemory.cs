using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Distributed;

/// <summary>
/// The memory of a contiguous CPU tensor, for handing to MPI without a copy. TorchSharp 0.107 exposes it as
/// <c>Tensor.bytes</c> (a span over the tensor's elements); a reference to its first byte is the data pointer.
/// </summary>
static class TensorMemory
{
    /// <summary>The first byte of <paramref name="tensor"/>'s elements; throws for a tensor MPI cannot write in place.</summary>
    public static ref byte First(Tensor tensor, string what)
    {
        if (tensor.device_type != DeviceType.CPU)
            throw new ArgumentException($"{what}: MPI collectives need CPU tensors, got {tensor.device_type}");
        if (!tensor.is_contiguous())
            throw new ArgumentException($"{what}: MPI collectives need a contiguous tensor");
        return ref MemoryMarshal.GetReference(tensor.bytes);
    }

    /// <summary>Whether two tensors start at the same address (a parameter's .grad still being its view).</summary>
    public static bool SameStart(Tensor a, Tensor b) =>
        a.numel() > 0 && b.numel() > 0 && Unsafe.AreSame(ref MemoryMarshal.GetReference(a.bytes), ref MemoryMarshal.GetReference(b.bytes));
}
