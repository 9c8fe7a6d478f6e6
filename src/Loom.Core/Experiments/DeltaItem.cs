namespace Loom.Experiments;

/// <summary>One entry of an XP's delta: a dotted key (or a config group) and its value in this XP.</summary>
public sealed record DeltaItem(string Key, object? Value)
{
    public static implicit operator DeltaItem((string Key, object? Value) pair) => new(pair.Key, pair.Value);
}
