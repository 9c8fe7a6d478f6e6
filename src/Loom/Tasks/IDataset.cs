using static TorchSharp.torch;

namespace Loom.Tasks;

/// <summary>
/// A data set the trainer can batch: it owns the order (a permutation from (seed, epoch), split across
/// ranks in data parallel), the data set only gathers the samples it is asked for. Keeping the sampler in
/// the trainer is what makes resume exact and sharding the same for every task.
/// </summary>
public interface IDataset : IDisposable
{
    int Count { get; }

    /// <summary>The samples at <paramref name="indices"/> (int64, 1-D), in that order.</summary>
    Batch Gather(Tensor indices);

    /// <summary>Samples [start, start+length), in order; may share storage with the data set (evaluation).</summary>
    Batch Slice(int start, int length);
}
