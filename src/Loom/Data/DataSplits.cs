using static TorchSharp.torch;

namespace Loom.Data;

/// <summary>The train / optional valid / test sets of one XP, normalized with the training set's statistics.</summary>
public sealed class DataSplits : IDisposable
{
    public required ImageBytesDataset Train { get; init; }
    public ImageBytesDataset? Valid { get; init; }
    public required ImageBytesDataset Test { get; init; }
    public required int Channels { get; init; }
    public required int Height { get; init; }
    public required int Width { get; init; }
    public required int Classes { get; init; }
    /// <summary>The classes' names by label (data=folder: its subfolders); null where the files name none.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }
    /// <summary>The files the data set left out (data.on_corrupt=skip), for the XP's log and skipped_files.json.</summary>
    public IReadOnlyList<Experiments.SkippedFile> Skipped { get; init; } = [];
    /// <summary>How the files were read (<see cref="RawImages.Notes"/>), for the XP's log.</summary>
    public IReadOnlyList<DataNote> Notes { get; init; } = [];

    public void Dispose()
    {
        Train.Dispose();
        Valid?.Dispose();
        Test.Dispose();
    }

    /// <summary>
    /// Decides the splits of <paramref name="raw"/> without libtorch: the validation split is
    /// <paramref name="validFraction"/> of the (limited) training set, drawn by a shuffle seeded with
    /// <paramref name="splitSeed"/> (<see cref="SeededShuffle"/>) and so fixed for the XP whatever its `seed`;
    /// mean and std come from what remains for training, unless <paramref name="normalization"/> gives them
    /// (`data.augment.mean` and `std`).
    /// </summary>
    public static SplitPlan Plan(RawImages raw, double validFraction, int? limit, long splitSeed = 0, (float[] Mean, float[] Std)? normalization = null)
    {
        int trainCount = Math.Min(raw.TrainLabels.Length, limit ?? int.MaxValue);
        int testCount = Math.Min(raw.TestLabels.Length, limit ?? int.MaxValue);
        int validCount = (int)Math.Round(trainCount * validFraction);
        int fitCount = trainCount - validCount;
        if (fitCount <= 0) throw new DataException($"data.valid_fraction={validFraction} leaves no training samples out of {trainCount}");
        if (validCount > 0) raw = SeededShuffle.TrainingSet(raw, trainCount, splitSeed); // fit = the first fitCount, valid = the rest
        var (mean, std) = normalization ?? ImageTensors.ChannelStatistics(raw.TrainPixels, fitCount, raw.Channels, raw.Height * raw.Width);
        return new SplitPlan(raw, trainCount, testCount, validCount, mean, std);
    }

    /// <summary>The planned splits as data sets (images normalized batch by batch, labels as int64 tensors); the
    /// training split's batches are augmented as <paramref name="augment"/> says.</summary>
    public static DataSplits Build(SplitPlan plan, AugmentSettings? augment = null)
    {
        var raw = plan.Raw;
        var normalization = new ByteNormalization(plan.Mean, plan.Std);
        long[] imageShape = [raw.Channels, raw.Height, raw.Width];
        var trainTargets = tensor(raw.TrainLabels[..plan.TrainCount].Select(b => (long)b).ToArray());
        var testTargets = tensor(raw.TestLabels[..plan.TestCount].Select(b => (long)b).ToArray());
        var all = new ImageBytesDataset(raw.TrainPixels, imageShape, normalization, trainTargets);
        int fitCount = plan.TrainCount - plan.ValidCount;
        var augmentation = augment is { IsRandom: true } ? new Augmentation(augment, raw.Channels, raw.Height, raw.Width) : null;
        var train = all.Subset(0, fitCount, augmentation);
        var valid = plan.ValidCount > 0 ? all.Subset(fitCount, plan.ValidCount) : null;
        all.Dispose(); // the subsets' label views keep the storage alive
        return new DataSplits
        {
            Train = train,
            Valid = valid,
            Test = new ImageBytesDataset(raw.TestPixels, imageShape, normalization, testTargets),
            Channels = raw.Channels, Height = raw.Height, Width = raw.Width, Classes = raw.Classes, ClassNames = raw.ClassNames, Skipped = raw.Skipped, Notes = raw.Notes,
        };
    }
}

/// <summary>What <see cref="DataSplits.Plan"/> decided: counts and the training split's per-channel statistics.</summary>
public sealed record SplitPlan(RawImages Raw, int TrainCount, int TestCount, int ValidCount, float[] Mean, float[] Std);
