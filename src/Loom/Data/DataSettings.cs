namespace Loom.Data;

/// <summary>The `data` section of the image data sets (<see cref="DataFactory"/>).</summary>
public sealed record DataSettings
{
    public string Name { get; init; } = "fashion_mnist";
    public string Root { get; init; } = FashionMnist.DefaultRoot;
    public double ValidFraction { get; init; }
    public int? Limit { get; init; }
}
