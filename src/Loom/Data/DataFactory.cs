namespace Loom.Data;

/// <summary>Loads the data set named by `data.name`.</summary>
public static class DataFactory
{
    public static readonly string[] Names = ["fashion_mnist", "mnist", "cifar10"];

    public static DataSplits Load(DataSettings s) => s.Name switch
    {
        "fashion_mnist" or "mnist" => FashionMnist.Load(s.Root, s.ValidFraction, s.Limit),
        "cifar10" => Cifar10.Load(s.Root, s.ValidFraction, s.Limit),
        _ => throw new ArgumentException($"data.name: unknown data set '{s.Name}' (expected one of {string.Join(", ", Names)})"),
    };
}
