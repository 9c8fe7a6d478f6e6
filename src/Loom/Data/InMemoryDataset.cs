using Loom.Tasks;
using static TorchSharp.torch;

namespace Loom.Data;

/// <summary>
/// A whole data set held as two tensors (inputs N×…, targets N×…). Training batches are gathered with one
/// `index_select` per batch from the trainer's permutation; evaluation batches are views (`narrow`), with
/// no copy at all. No per-sample tensor objects ever exist.
/// </summary>
public sealed class InMemoryDataset(Tensor images, Tensor labels) : IDataset
{
    public Tensor Images { get; } = images;
    public Tensor Labels { get; } = labels;
    public int Count => (int)Labels.shape[0];

    public Batch Gather(Tensor indices) => new(Images.index_select(0, indices), Labels.index_select(0, indices));

    public Batch Slice(int start, int length) => new(Images.narrow(0, start, length), Labels.narrow(0, start, length));

    /// <summary>Rows [start, start+length) as a new dataset sharing storage with this one.</summary>
    public InMemoryDataset Subset(int start, int length) => new(Images.narrow(0, start, length), Labels.narrow(0, start, length));

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
