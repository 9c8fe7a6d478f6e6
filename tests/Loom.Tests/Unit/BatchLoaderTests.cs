using Loom.Data;
using Loom.Data.Loading;
using Loom.Tasks;
using static TorchSharp.torch;

namespace Loom.Tests.Unit;

/// <summary>
/// The background loader (data.workers) on real Fashion-MNIST with data.augment on: 0 and 2 workers hand over the same
/// batches bit for bit, and an exception thrown on a worker thread reaches the training thread as itself (not an
/// AggregateException), after the batches before it, without a hang, whatever the prefetch depth.
/// </summary>
public sealed class BatchLoaderTests
{
    static readonly AugmentSettings Augment = new() { CropPadding = 4, Flip = true };

    /// <summary>Batches of 64 of a seeded permutation of the first 2000 training images.</summary>
    static IEnumerable<(Tensor? Indices, int Tag)> Plan(int count)
    {
        using var order = randperm(count, generator: new Generator(11));
        for (int b = 0, start = 0; start < count; b++, start += 64)
            yield return (order.narrow(0, start, Math.Min(64, count - start)).clone(), b);
    }

    static List<(byte[] Input, long[] Target)> Gathered(DataSplits splits, int workers, int prefetch, int epoch)
    {
        var loader = new BatchLoader(workers, prefetch);
        var train = (IEpochDataset)splits.Train;
        var batches = new List<(byte[], long[])>();
        foreach (var (batch, tag) in loader.Load(Plan(splits.Train.Count), indices => train.Gather(indices, seed: 5, epoch)))
        {
            using (batch)
            {
                Assert.Equal(batches.Count, tag); // in the planned order
                batches.Add((batch!.Input.bytes.ToArray(), batch.Target.data<long>().ToArray()));
            }
        }
        return batches;
    }

    [Fact]
    public void NoWorkersAndTwoWorkersGiveTheSameAugmentedBatches()
    {
        var settings = new DataSettings { Limit = 2000, Augment = Augment };
        using var splits = DataFactory.Load(settings);
        var inline = Gathered(splits, workers: 0, prefetch: 1, epoch: 2);
        var ahead = Gathered(splits, workers: 2, prefetch: 3, epoch: 2);
        Assert.Equal(inline.Count, ahead.Count);
        for (int b = 0; b < inline.Count; b++)
        {
            Assert.True(inline[b].Input.AsSpan().SequenceEqual(ahead[b].Input), $"batch {b}: the images differ");
            Assert.Equal(inline[b].Target, ahead[b].Target);
        }
        // The augmentation is on: another epoch draws other crops and flips (the comparison above is not of plain images).
        var otherEpoch = Gathered(splits, workers: 2, prefetch: 3, epoch: 3);
        Assert.False(inline[0].Input.AsSpan().SequenceEqual(otherEpoch[0].Input));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 4)]
    [InlineData(2, 32)]
    public async Task AWorkersExceptionSurfacesAsItselfAfterTheBatchesBeforeIt(int workers, int prefetch)
    {
        var loader = new BatchLoader(workers, prefetch);
        int handedOver = 0;
        long firstOfBatch7;
        using (var order = randperm(2000, generator: new Generator(11))) firstOfBatch7 = order[7 * 64].item<long>();
        var failed = Task.Run(() =>
        {
            foreach (var (batch, tag) in loader.Load(Plan(2000), indices =>
            {
                // Batch 7 meets a broken file on whichever worker gathers it.
                if (indices[0].item<long>() == firstOfBatch7)
                    throw new DataException("/data/pics/dog/7.png: the image does not decode (truncated)");
                return new Batch(zeros(indices.shape[0]), indices.clone());
            }))
            {
                using (batch) handedOver++;
            }
        });
        Assert.True(await Task.WhenAny(failed, Task.Delay(TimeSpan.FromSeconds(60))) == failed, "the loader hung after a worker's exception");
        var thrown = Assert.IsType<DataException>(failed.Exception!.InnerException);
        Assert.Single(failed.Exception.InnerExceptions); // Task.Run's own wrapper only: the loader threw the DataException itself
        Assert.Equal("/data/pics/dog/7.png: the image does not decode (truncated)", thrown.Message);
        Assert.Equal(7, handedOver);
    }
}
