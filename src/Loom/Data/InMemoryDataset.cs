using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Data;

/// <summary>
/// A whole data set held as two tensors (images N×C×H×W float32, labels N int64). Training batches are
/// gathered with one `index_select` per batch from a per-epoch permutation; evaluation batches are views
/// (`narrow`), with no copy at all. No per-image tensor objects ever exist.
/// </summary>
public sealed class InMemoryDataset(Tensor images, Tensor labels) : IDisposable
{
    public Tensor Images { get; } = images;
    public Tensor Labels { get; } = labels;
    public int Count => (int)Labels.shape[0];

    public int BatchCount(int batchSize) => (Count + batchSize - 1) / batchSize;

    /// <summary>Shuffled batches. The permutation depends only on (seed, epoch): an epoch restarted after a
    /// crash sees exactly the same batches, whatever happened before.</summary>
    public IEnumerable<(Tensor Images, Tensor Labels)> ShuffledBatches(int batchSize, long seed, int epoch)
    {
        Tensor permutation;
        using (var generator = new Generator(unchecked((ulong)(seed * 1_000_003 + epoch))))
            permutation = randperm(Count, generator: generator);
        using (permutation)
        {
            for (int start = 0; start < Count; start += batchSize)
            {
                int length = Math.Min(batchSize, Count - start);
                using var index = permutation.narrow(0, start, length);
                yield return (Images.index_select(0, index), Labels.index_select(0, index));
            }
        }
    }

    /// <summary>Batches in order, as views of the stored tensors.</summary>
    public IEnumerable<(Tensor Images, Tensor Labels)> OrderedBatches(int batchSize)
    {
        for (int start = 0; start < Count; start += batchSize)
        {
            int length = Math.Min(batchSize, Count - start);
            yield return (Images.narrow(0, start, length), Labels.narrow(0, start, length));
        }
    }

    /// <summary>Rows [start, start+length) as a new dataset sharing storage with this one.</summary>
    public InMemoryDataset Slice(int start, int length) => new(Images.narrow(0, start, length), Labels.narrow(0, start, length));

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
