namespace Loom.Search;

/// <summary>One dimension of a <see cref="SearchSpace"/>: a config key, and the condition under which it exists.</summary>
public abstract class SearchParameter(string key, Condition? when)
{
    public string Key { get; } = key;
    public Condition? When { get; } = when;

    /// <summary>A value drawn uniformly (in log space for log parameters).</summary>
    public abstract object SampleUniform(Random rng);

    /// <summary>Throws a <see cref="SearchException"/> naming the key when the declaration cannot be searched.</summary>
    internal abstract void Validate();
}
