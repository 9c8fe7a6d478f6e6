namespace Loom.Search;

/// <summary>An integer in [low, high] (both included), uniform or log-uniform (batch sizes, widths).</summary>
public sealed class IntParameter(string key, long low, long high, bool log, Condition? when) : SearchParameter(key, when)
{
    public long Low { get; } = low;
    public long High { get; } = high;
    public bool Log { get; } = log;

    public override object SampleUniform(Random rng) =>
        Log ? Round(Math.Exp(Math.Log(Low - 0.5) + rng.NextDouble() * (Math.Log(High + 0.5) - Math.Log(Low - 0.5))))
            : Low + rng.NextInt64(High - Low + 1);

    internal long Round(double x) => Math.Clamp((long)Math.Round(x, MidpointRounding.AwayFromZero), Low, High);

    internal override void Validate()
    {
        Bounds.Check(Key, Low, High, Log);
        if (Log && Low < 1) throw new SearchException($"search parameter '{Key}': log scale needs low >= 1 for an integer, got {Low}");
    }
}
