namespace Loom.Data;

/// <summary>Reads and loads the data set named by `data.name`.</summary>
public static class DataFactory
{
    public static readonly string[] Names = ["fashion_mnist", "mnist", "cifar10"];

    /// <summary>The data set's files read and checked, the splits and statistics decided: no libtorch involved.</summary>
    public static SplitPlan Prepare(DataSettings s)
    {
        RawImages raw = s.Name switch
        {
            "fashion_mnist" or "mnist" => FashionMnist.Read(s.Root),
            "cifar10" => Cifar10.Read(s.Root),
            _ => throw new ArgumentException($"data.name: unknown data set '{s.Name}' (expected one of {string.Join(", ", Names)})"),
        };
        return DataSplits.Plan(raw, s.ValidFraction, s.Limit, s.SplitSeed);
    }

    /// <summary>The splits as data sets, from <paramref name="plan"/> (made by <see cref="Prepare"/>) or prepared now.</summary>
    public static DataSplits Load(DataSettings s, SplitPlan? plan = null) => DataSplits.Build(plan ?? Prepare(s));
}
