using Loom.Distributed;
using static TorchSharp.torch;

namespace Loom.Training;

/// <summary>
/// The order of the training samples, owned by the trainer so that it is the same for every task: a
/// permutation that depends only on (seed, epoch) — an epoch redone after a crash sees the same batches —
/// cut into global batches of <c>batch_size</c>. In data parallel, rank r takes positions r, r+W, r+2W… of
/// each global batch (PyTorch's DistributedSampler `indices[rank::W]`), so the W ranks together see
/// exactly the global batch a single process would, and the number of batches is the same on every rank
/// (every collective is called the same number of times). A rank's share of a short last batch may be
/// empty; the trainer still joins the gradient all-reduce with zeros.
/// </summary>
public sealed class EpochSampler(int count, int batchSize, long seed, ProcessContext process)
{
    public int Batches => (count + batchSize - 1) / batchSize;

    /// <summary>Per global batch: this rank's indices (null when its share is empty) and the global batch size.</summary>
    public IEnumerable<(Tensor? Indices, int GlobalSize)> Epoch(int epoch)
    {
        Tensor permutation;
        using (var generator = new Generator(unchecked((ulong)(seed * 1_000_003 + epoch))))
            permutation = randperm(count, generator: generator);
        using (permutation)
        {
            for (int start = 0; start < count; start += batchSize)
            {
                int length = Math.Min(batchSize, count - start);
                int local = (length - process.Rank + process.WorldSize - 1) / process.WorldSize;
                if (local <= 0) { yield return (null, length); continue; }
                using var global = permutation.narrow(0, start, length);
                yield return (process.IsDistributed ? global.slice(0, process.Rank, length, process.WorldSize) : global.alias(), length);
            }
        }
    }

    /// <summary>This rank's contiguous share [start, start+length) of an evaluation split of <paramref name="total"/> samples.</summary>
    public static (int Start, int Length) EvaluationShare(int total, ProcessContext process)
    {
        long start = (long)total * process.Rank / process.WorldSize;
        long end = (long)total * (process.Rank + 1) / process.WorldSize;
        return ((int)start, (int)(end - start));
    }
}
