namespace Loom.Config;

/// <summary>What a command-line override does, after Hydra's prefixes: none, `+`, `++`, `~`.</summary>
public enum OverrideKind { Change, Add, ForceAdd, Delete }

/// <summary>
/// One parsed command-line override such as `optim.lr=0.01`, `+tag=x`, `~data.limit` or, for a sweep,
/// `optim.lr=0.1,0.01` (then <see cref="Choices"/> has one entry per value).
/// </summary>
public sealed record Override(string Text, OverrideKind Kind, string Key, bool HasValue, IReadOnlyList<OverrideValue> Choices)
{
    public bool IsSweep => Choices.Count > 1;

    /// <summary>The single value (null when none or a sweep).</summary>
    public object? Value => Choices.Count == 1 ? Choices[0].Value : null;

    public string Prefix => Kind switch
    {
        OverrideKind.Add => "+",
        OverrideKind.ForceAdd => "++",
        OverrideKind.Delete => "~",
        _ => "",
    };

    public static Override Parse(string text) => OverrideParser.Parse(text);
}

/// <summary>A parsed value with the source text that produced it (sweeps re-emit that text).</summary>
public sealed record OverrideValue(string Text, object? Value);
