using Loom.Config;

namespace Loom.Data;

/// <summary>Reads and loads the data set named by `data.name`.</summary>
public static class DataFactory
{
    public static readonly string[] Names = ["fashion_mnist", "mnist", "cifar10", "folder", "csv"];

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
            _ => throw new ArgumentException($"data.name: unknown data set '{s.Name}' (expected one of {string.Join(", ", Names)})"),
        };
        return DataSplits.Plan(raw, s.ValidFraction, s.Limit, s.SplitSeed, GivenNormalization(s.Augment, raw.Channels));
    }

    /// <summary>The splits as data sets, from <paramref name="plan"/> (made by <see cref="Prepare"/>) or prepared now.</summary>
    public static DataSplits Load(DataSettings s, SplitPlan? plan = null) => DataSplits.Build(plan ?? Prepare(s), s.Augment);

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
