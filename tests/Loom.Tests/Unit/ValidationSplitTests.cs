using Loom.Data;

namespace Loom.Tests.Unit;

/// <summary>The validation split: drawn by a seeded shuffle, the same on every call, disjoint from training, nothing lost.</summary>
public sealed class ValidationSplitTests
{
    // 100 one-pixel images whose pixel is their index: each image says where it came from.
    static RawImages Images(int n) => new(
        Enumerable.Range(0, n).Select(i => (byte)i).ToArray(), Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray(),
        new byte[] { 0 }, [0], Channels: 1, Height: 1, Width: 1, Classes: 10);

    [Fact]
    public void SplitIsSeededDisjointAndComplete()
    {
        var plan = DataSplits.Plan(Images(100), validFraction: 0.2, limit: null, splitSeed: 0);
        Assert.Equal((100, 20), (plan.TrainCount, plan.ValidCount));
        var order = plan.Raw.TrainPixels.ToArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (byte)i), order.Order()); // a permutation: nothing lost or repeated
        Assert.Equal(order.Select(p => (byte)(p % 10)), plan.Raw.TrainLabels);     // labels travel with their images
        var valid = order[80..];
        Assert.NotEqual(Enumerable.Range(80, 20).Select(i => (byte)i), valid);     // drawn, not the file's last 20
        Assert.Equal(valid, DataSplits.Plan(Images(100), 0.2, null, splitSeed: 0).Raw.TrainPixels.ToArray()[80..]);
        Assert.NotEqual(valid, DataSplits.Plan(Images(100), 0.2, null, splitSeed: 1).Raw.TrainPixels.ToArray()[80..]);
    }

    [Fact]
    public void LimitTakesTheFirstImagesBeforeSplitting()
    {
        var plan = DataSplits.Plan(Images(100), validFraction: 0.5, limit: 10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), plan.Raw.TrainPixels.ToArray().Order());
        Assert.Equal(5, plan.ValidCount);
    }

    [Fact]
    public void NoValidationSplitKeepsTheFileOrder() =>
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (byte)i), DataSplits.Plan(Images(100), 0, null).Raw.TrainPixels.ToArray());
}
