using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Distributed;

/// <summary>
/// Which samples a rank takes, as PyTorch's DistributedSampler: rank r of W takes positions r, r+W, r+2W, ...
/// of the epoch's order (the same permutation on every rank, from (seed, epoch)). Cut into batches of B/W,
/// rank r's j-th batch is exactly the r-th stride of the single-process run's j-th batch of B, so W ranks
/// see the same global batches as one process.
/// <para>
/// Training pads the order (repeating its first samples) to a multiple of W, as DistributedSampler does: every
/// rank then has the same number of batches, hence calls the gradient all-reduce the same number of times
/// (ranks with one step more than the others would wait in it forever). Evaluation runs no collective per
/// batch, so it needs no padding: shards differ by at most one sample and the summed metrics are exact.
/// </para>
/// </summary>
public static class DataShard
{
    /// <summary>The per-rank batch of a global <paramref name="batchSize"/>; an error naming both when W does not divide it.</summary>
    public static int PerRankBatch(int batchSize, int worldSize)
    {
        if (worldSize < 1) throw new ArgumentOutOfRangeException(nameof(worldSize), worldSize, "at least one rank");
        if (batchSize % worldSize != 0)
            throw new ArgumentException(
                $"batch_size={batchSize} is not divisible by the {worldSize} ranks: batch_size is the global batch, split evenly over the ranks (use a multiple of {worldSize})");
        return batchSize / worldSize;
    }

    /// <summary>
    /// Rank <paramref name="rank"/>'s positions of <paramref name="order"/> (a 1-D int64 tensor: the epoch's
    /// permutation), padded to a multiple of the world size when <paramref name="pad"/> (training).
    /// </summary>
    public static Tensor Of(Tensor order, int rank, int worldSize, bool pad)
    {
        if (worldSize < 1 || rank < 0 || rank >= worldSize)
            throw new ArgumentOutOfRangeException(nameof(rank), $"rank {rank} of {worldSize}");
        long n = order.numel();
        if (worldSize == 1) return order.alias();
        using var scope = NewDisposeScope();
        var padded = order;
        long total = pad ? (n + worldSize - 1) / worldSize * worldSize : n;
        if (total > n)
        {
            if (n == 0) throw new ArgumentException("an empty data set cannot be shared among ranks", nameof(order));
            // Repeat the order as often as needed (more ranks than samples repeats it more than once).
            long copies = (total + n - 1) / n;
            padded = order.repeat(copies).narrow(0, 0, total);
        }
        using var positions = arange(rank, total, worldSize, dtype: ScalarType.Int64);
        return padded.index_select(0, positions).MoveToOuterDisposeScope();
    }
}
