namespace Loom.Training;

// Typed views of the reference task's config sections (conf/config.yaml and its groups). Bound from YAML
// by Loom.Config: snake_case keys map to these PascalCase properties.

/// <summary>Top-level keys of conf/config.yaml.</summary>
public sealed record TrainSettings
{
    public long Seed { get; init; } = 42;
    public int Epochs { get; init; } = 5;
    public int BatchSize { get; init; } = 32;
    /// <summary>Early stopping: epochs without improvement of <see cref="Monitor"/> before stopping; 0 = never.</summary>
    public int Patience { get; init; }
    /// <summary>`split.metric`, e.g. `valid.accuracy`; null picks valid.accuracy when there is a valid split, else test.accuracy.</summary>
    public string? Monitor { get; init; }
    public string Device { get; init; } = "cpu";
    public int Threads { get; init; } = 2;
    /// <summary>`auto` (a bar on a terminal, plain lines otherwise), `bar`, `plain` or `none`.</summary>
    public string Progress { get; init; } = "auto";
}

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
}

public sealed record OptimSettings
{
    public string Name { get; init; } = "sgd";
    public double Lr { get; init; } = 0.1;
    public double Momentum { get; init; }
    public double Dampening { get; init; }
    public bool Nesterov { get; init; }
    public double WeightDecay { get; init; }
    public double[] Betas { get; init; } = [0.9, 0.999];
    public double Eps { get; init; } = 1e-8;
    public bool Amsgrad { get; init; }
    public double LrDecay { get; init; }
    public double InitialAccumulatorValue { get; init; }
}

public sealed record DataSettings
{
    public string Name { get; init; } = "fashion_mnist";
    public string Root { get; init; } = Data.FashionMnist.DefaultRoot;
    public double ValidFraction { get; init; }
    public int? Limit { get; init; }
}
