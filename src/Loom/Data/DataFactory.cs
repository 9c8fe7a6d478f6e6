using Loom.Training;

namespace Loom.Data;

/// <summary>Loads the data set named by `data.name`.</summary>
public static class DataFactory
{
    public static readonly string[] Names = ["fashion_mnist", "mnist", "cifar10"];

    public static DataSplits Load(DataSettings s)
    {
        var splits = LoadSplits(s);
        // The raw files (tens of MB of byte arrays on the large-object heap) are garbage now that the tensors
        // hold the data: compact once so the process does not carry them through training (peak RSS).
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return splits;
    }

    static DataSplits LoadSplits(DataSettings s) => s.Name switch
    {
        "fashion_mnist" or "mnist" => FashionMnist.Load(s.Root, s.ValidFraction, s.Limit),
        "cifar10" => Cifar10.Load(s.Root, s.ValidFraction, s.Limit),
        _ => throw new ArgumentException($"data.name: unknown data set '{s.Name}' (expected one of {string.Join(", ", Names)})"),
    };
}
