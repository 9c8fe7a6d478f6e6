namespace Loom.Training;

/// <summary>
/// Averages loss and accuracy over the samples of an epoch: each batch weighs by its size, so a partial
/// last batch counts for what it holds (the lecture's `basic/train.py` averages the same way).
/// Sums are kept in double: the order of batches does not change the result beyond the last bit.
/// </summary>
public sealed class MetricAverager
{
    double lossSum;
    long correct;
    public long Samples { get; private set; }

    /// <param name="meanLoss">The batch's mean loss.</param>
    /// <param name="batchCorrect">How many of the batch's predictions were right.</param>
    public void Add(double meanLoss, long batchCorrect, long batchSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "a batch holds at least one sample");
        lossSum += meanLoss * batchSize;
        correct += batchCorrect;
        Samples += batchSize;
    }

    public double Loss => Samples == 0 ? double.NaN : lossSum / Samples;
    public double Accuracy => Samples == 0 ? double.NaN : (double)correct / Samples;

    public SplitMetrics Result() => new(Loss, Accuracy);
}

/// <summary>One split's metrics for one epoch.</summary>
public sealed record SplitMetrics(double Loss, double Accuracy);
