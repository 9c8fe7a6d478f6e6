namespace Loom.Data;

/// <summary>The `data` section of the image data sets (<see cref="DataFactory"/>).</summary>
public sealed record DataSettings
{
    public string Name { get; init; } = "fashion_mnist";
    public string Root { get; init; } = FashionMnist.DefaultRoot;
    /// <summary>Fraction of the training set held out for validation (model selection); 0 = none, then the last epoch is selected.</summary>
    public double ValidFraction { get; init; } = 0.1;
    /// <summary>Seed of the shuffle that draws the validation split (independent of the XP's `seed`).</summary>
    public long SplitSeed { get; init; }
    public int? Limit { get; init; }
}
