namespace LoomApp1;

/// <summary>The task's settings: the `data` and `model` sections of conf/config.yaml (Loom owns epochs, optim, schedule, ...).</summary>
public sealed record CharLmSettings
{
    public TextSettings Data { get; init; } = new();
    public TransformerSettings Model { get; init; } = new();
}

public sealed record TextSettings
{
    /// <summary>A UTF-8 text file; the default ships with every Debian install.</summary>
    public string Path { get; init; } = "/usr/share/common-licenses/GPL-3";
    /// <summary>Characters of context per sample.</summary>
    public int SeqLen { get; init; } = 64;
    /// <summary>The last fraction of the text, held out as the validation split.</summary>
    public double ValidFraction { get; init; } = 0.1;
    /// <summary>Use only the first N characters (null: the whole file).</summary>
    public int? Limit { get; init; }
    /// <summary>Threads gathering training batches ahead of the step (Loom's BatchLoader, taken from `threads`); 0 = on the training thread.</summary>
    public int Workers { get; init; }
    /// <summary>Batches the workers may hold ready (bounds the loader's memory).</summary>
    public int Prefetch { get; init; } = 4;
}

public sealed record TransformerSettings
{
    public int Dim { get; init; } = 64;
    public int Heads { get; init; } = 4;
    public int Layers { get; init; } = 2;
    public double Dropout { get; init; }
}
