using Loom.Training;

namespace Loom.Tests.Unit;

public sealed class MetricAveragerTests
{
    [Fact]
    public void PartialLastBatchWeighsByItsSize()
    {
        var averager = new MetricAverager();
        averager.Add(meanLoss: 1.0, batchCorrect: 32, batchSize: 32);
        averager.Add(meanLoss: 4.0, batchCorrect: 0, batchSize: 8);
        Assert.Equal((32 * 1.0 + 8 * 4.0) / 40, averager.Loss, 12);
        Assert.Equal(32.0 / 40, averager.Accuracy, 12);
        Assert.Equal(40, averager.Samples);
    }

    [Fact]
    public void EmptyIsNaNAndBadBatchIsRefused()
    {
        Assert.True(double.IsNaN(new MetricAverager().Loss));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MetricAverager().Add(1, 0, 0));
    }
}
