using Loom.Config;

namespace Loom.Data;

/// <summary>Reads an image data set an app registers (<c>app.Dataset(name, read)</c>): its training and test images, as
/// bytes; Loom then holds out the validation split, applies `data.limit`, the normalization and the augmentation.</summary>
public delegate RawImages DatasetReader(DataSettings settings);

/// <summary>Reads and loads the data set named by `data.name`: Loom's own, and the image data sets an app registers.</summary>
public static class DataFactory
{
    static readonly NamedRegistry<DatasetReader> Datasets = new("data.name", "data set", ["fashion_mnist", "mnist", "cifar10", "folder", "csv"]);

    /// <summary>Every data set name: Loom's, then the registered ones in the order they were added.</summary>
    public static IReadOnlyList<string> Names => Datasets.Names;

    /// <summary>Adds an image data set by name (<c>app.Dataset(name, read)</c> on the app's builder calls this); registering a
    /// name again replaces its reader. Process-wide: the app's scheduled workers run the same registration.</summary>
    public static void Register(string name, DatasetReader read) => Datasets.Register(name, read);

    /// <summary>Whether the data set is one of Loom's own (whose `data.root` Loom checks; a registered reader checks its own files).</summary>
    public static bool IsBuiltIn(DataSettings s) => Datasets.IsBuiltIn(s.Name);

    /// <summary>Refuses a `data.name` that is neither Loom's nor registered: one line naming the choices and the closest.</summary>
    public static void Check(DataSettings s) => Datasets.Check(s.Name);

    /// <summary>The data sets that are tables (<see cref="Csv.TablePlan"/>), not images.</summary>
    public static bool IsTable(DataSettings s) => s.Name == "csv";

    /// <summary>The data set's files read and checked, the splits and statistics decided: no libtorch involved.
    /// Files left out by data.on_corrupt=skip are listed in the plan's <see cref="RawImages.Skipped"/>.</summary>
    public static SplitPlan Prepare(DataSettings s)
    {
        RawImages raw = s.Name switch
        {
            "fashion_mnist" or "mnist" => FashionMnist.Read(RootOf(s)),
            "cifar10" => Cifar10.Read(RootOf(s)),
            "folder" => Folder.ImageFolderReader.Read(s),
            "csv" => throw new ArgumentException("data=csv is a table, not images: Csv.TablePlan.Prepare reads it"),
            _ when Datasets.Registered(s.Name) is { } read => Checked(s.Name, read(s)),
            _ => throw Datasets.Unknown(s.Name),
        };
        return DataSplits.Plan(raw, s.ValidFraction, s.Limit, s.SplitSeed, GivenNormalization(s.Augment, raw.Channels));
    }

    /// <summary>The splits as data sets, from <paramref name="plan"/> (made by <see cref="Prepare"/>) or prepared now.</summary>
    public static DataSplits Load(DataSettings s, SplitPlan? plan = null) => DataSplits.Build(plan ?? Prepare(s), s.Augment);

    /// <summary>What an app's reader returned, checked as Loom's readers check their files: whole images, labels in range.</summary>
    static RawImages Checked(string name, RawImages raw)
    {
        if (raw.Channels <= 0 || raw.Height <= 0 || raw.Width <= 0 || raw.Classes <= 0)
            throw new DataException($"data.name={name}: the reader returned images of {raw.Channels}×{raw.Height}×{raw.Width} in {raw.Classes} classes (expected positive sizes)");
        long image = (long)raw.Channels * raw.Height * raw.Width;
        foreach (var (split, pixels, labels) in new[] { ("train", raw.TrainPixels, raw.TrainLabels), ("test", raw.TestPixels, raw.TestLabels) })
        {
            if (pixels.Length != image * labels.LongLength)
                throw new DataException($"data.name={name}: the reader's {split} split has {pixels.Length} pixel bytes for {labels.LongLength} labels of {raw.Channels}×{raw.Height}×{raw.Width} images (expected {image * labels.LongLength})");
            int bad = Array.FindIndex(labels, l => l >= raw.Classes);
            if (bad >= 0) throw new DataException($"data.name={name}: the reader's {split} split has label {labels[bad]} at {bad}, expected one of 0..{raw.Classes - 1}");
        }
        return raw;
    }

    internal static string RootOf(DataSettings s) => s.Root ?? throw new ConfigException($"data.root: not set (the folder of {s.Name}'s files)");

    /// <summary>`data.augment.mean` and `std` when given, one per channel of the images.</summary>
    static (float[] Mean, float[] Std)? GivenNormalization(AugmentSettings a, int channels)
    {
        if (a.Mean is null && a.Std is null) return null;
        if (a.Mean is null || a.Std is null) throw new ConfigException($"data.augment.{(a.Mean is null ? "mean" : "std")}: give both mean and std, or neither (computed on the training split)");
        foreach (var (key, values) in new[] { ("mean", a.Mean), ("std", a.Std) })
            if (values.Length != channels) throw new ConfigException($"data.augment.{key}: {values.Length} values for images of {channels} channel{(channels == 1 ? "" : "s")}");
        if (a.Std.FirstOrDefault(v => !(v > 0)) is var bad && a.Std.Any(v => !(v > 0))) throw new ConfigException($"data.augment.std: {bad} is not a positive number");
        return (a.Mean.Select(v => (float)v).ToArray(), a.Std.Select(v => (float)v).ToArray());
    }
}
