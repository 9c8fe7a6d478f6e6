using static TorchSharp.torch;

namespace Loom.Distributed;

/// <summary>
/// The collective operations data-parallel training needs, over a fixed group of processes (ranks). Every
/// rank must call the same collectives in the same order (a rank that skips one hangs the others), so the
/// trainer calls them at fixed points only: before the first step, before each optimizer step, at each
/// epoch's end. Tensors are contiguous CPU tensors, changed in place.
/// </summary>
public interface ICollectives : IDisposable
{
    int Rank { get; }
    int WorldSize { get; }

    /// <summary>Overwrites <paramref name="tensor"/> on every rank with its value on <paramref name="root"/>.</summary>
    void Broadcast(Tensor tensor, int root = 0);

    /// <summary>Replaces <paramref name="tensor"/> on every rank by the element-wise sum over ranks.</summary>
    void AllReduceSum(Tensor tensor);

    /// <summary>Replaces <paramref name="values"/> on every rank by the element-wise sum over ranks.</summary>
    void AllReduceSum(Span<double> values);

    void Barrier();
}
