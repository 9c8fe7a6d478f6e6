using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Distributed.Tests;

/// <summary>DistributedSampler's sharding: disjoint strides of one order, padded for training only.</summary>
public sealed class DataShardTests
{
    static long[] Shard(long[] order, int rank, int world, bool pad)
    {
        using var t = tensor(order);
        using var shard = DataShard.Of(t, rank, world, pad);
        return shard.data<long>().ToArray();
    }

    [Fact]
    public void Training_shards_are_strides_padded_to_equal_lengths()
    {
        long[] order = [9, 3, 7, 1, 0, 8, 2, 6, 4, 5];
        Assert.Equal([9, 1, 2, 5], Shard(order, 0, 3, pad: true));
        Assert.Equal([3, 0, 6, 9], Shard(order, 1, 3, pad: true));
        Assert.Equal([7, 8, 4, 3], Shard(order, 2, 3, pad: true));
        Assert.Equal(order, Shard(order, 0, 1, pad: true));
    }

    [Fact]
    public void Evaluation_shards_cover_every_sample_once()
    {
        long[] order = [.. Enumerable.Range(0, 10).Select(i => (long)i)];
        var shards = Enumerable.Range(0, 3).Select(r => Shard(order, r, 3, pad: false)).ToList();
        Assert.Equal([4, 3, 3], shards.Select(s => s.Length));
        Assert.Equal(order, shards.SelectMany(s => s).Order());
    }

    [Fact]
    public void Rank_batches_are_strides_of_the_single_process_batches()
    {
        long[] order = [.. Enumerable.Range(0, 24).Select(i => (long)(i * 7 % 24))];
        const int batch = 8, world = 2;
        int perRank = DataShard.PerRankBatch(batch, world);
        for (int rank = 0; rank < world; rank++)
        {
            var shard = Shard(order, rank, world, pad: true);
            for (int j = 0; j < order.Length / batch; j++)
            {
                var global = order.Skip(j * batch).Take(batch).ToArray();
                Assert.Equal(global.Where((_, i) => i % world == rank), shard.Skip(j * perRank).Take(perRank));
            }
        }
    }

    [Fact]
    public void More_ranks_than_samples_repeat_the_order_and_odd_batches_are_refused()
    {
        Assert.Equal([1L], Shard([0, 1], 1, 4, pad: true));
        Assert.Equal([1L], Shard([0, 1], 3, 4, pad: true));
        var e = Assert.Throws<ArgumentException>(() => DataShard.PerRankBatch(30, 4));
        Assert.Contains("batch_size=30", e.Message);
        Assert.Contains("4 ranks", e.Message);
    }
}
