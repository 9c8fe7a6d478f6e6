using static TorchSharp.torch;

namespace Loom.Data;

/// <summary>The train / optional valid / test sets of one XP, normalized with the training set's statistics.</summary>
public sealed class DataSplits : IDisposable
{
    public required InMemoryDataset Train { get; init; }
    public InMemoryDataset? Valid { get; init; }
    public required InMemoryDataset Test { get; init; }
    public required int Channels { get; init; }
    public required int Height { get; init; }
    public required int Width { get; init; }
    public required int Classes { get; init; }

    public void Dispose()
    {
        Train.Dispose();
        Valid?.Dispose();
        Test.Dispose();
    }

    /// <summary>
    /// Builds the splits from raw bytes. The validation split is the last <paramref name="validFraction"/>
    /// of the (limited) training set, fixed for the XP; mean and std come from what remains for training.
    /// </summary>
    public static DataSplits FromBytes(byte[] trainPixels, byte[] trainLabels, byte[] testPixels, byte[] testLabels,
        int channels, int height, int width, int classes, double validFraction, int? limit)
    {
        int trainCount = Math.Min(trainLabels.Length, limit ?? int.MaxValue);
        int testCount = Math.Min(testLabels.Length, limit ?? int.MaxValue);
        var trainImages = ImageTensors.FromBytes(trainPixels, [trainCount, channels, height, width]);
        var testImages = ImageTensors.FromBytes(testPixels, [testCount, channels, height, width]);
        int validCount = (int)Math.Round(trainCount * validFraction);
        int fitCount = trainCount - validCount;
        if (fitCount <= 0) throw new DataException($"data.valid_fraction={validFraction} leaves no training samples out of {trainCount}");

        var (mean, std) = ImageTensors.ChannelStatistics(trainPixels, fitCount, channels, height * width);
        ImageTensors.NormalizeInPlace(trainImages, mean, std);
        ImageTensors.NormalizeInPlace(testImages, mean, std);
        var trainTargets = tensor(trainLabels[..trainCount].Select(b => (long)b).ToArray());
        var testTargets = tensor(testLabels[..testCount].Select(b => (long)b).ToArray());
        var all = new InMemoryDataset(trainImages, trainTargets);
        return new DataSplits
        {
            Train = validCount > 0 ? all.Subset(0, fitCount) : all,
            Valid = validCount > 0 ? all.Subset(fitCount, validCount) : null,
            Test = new InMemoryDataset(testImages, testTargets),
            Channels = channels, Height = height, Width = width, Classes = classes,
        };
    }
}
