namespace Loom.Nn;

/// <summary>The `model` section of the image models (<see cref="ModelFactory"/>).</summary>
public sealed record ModelSettings
{
    public string Name { get; init; } = "cnn";
    public int Channels { get; init; } = 32;
    public int Hidden { get; init; } = 128;
    public int Layers { get; init; } = 2;
    public bool BatchNorm { get; init; }
    public bool LayerNorm { get; init; }
    public double Dropout { get; init; }
    public double WidthMult { get; init; } = 1.0;
    /// <summary>Reparametrize every Linear/Conv layer with <see cref="WeightNorm"/> (dim 0).</summary>
    public bool WeightNorm { get; init; }
    /// <summary>Reparametrize every Linear/Conv layer with <see cref="SpectralNorm"/> (1 power iteration per training forward).</summary>
    public bool SpectralNorm { get; init; }
    /// <summary>The lecture's λ: every Linear/Conv weight and bias is stored as y = w / λ and used as λ·y (<see cref="ScaledLayer"/>); 1 = off.</summary>
    public double ReparamLambda { get; init; } = 1.0;
}
