namespace Loom.Search;

/// <summary>A real value in [low, high], uniform or log-uniform (learning rates, weight decay).</summary>
public sealed class FloatParameter(string key, double low, double high, bool log, Condition? when) : SearchParameter(key, when)
{
    public double Low { get; } = low;
    public double High { get; } = high;
    public bool Log { get; } = log;

    public override object SampleUniform(Random rng) => FromInternal(InternalLow + rng.NextDouble() * (InternalHigh - InternalLow));

    /// <summary>The bounds in the space TPE models: log space for log parameters.</summary>
    internal double InternalLow => Log ? Math.Log(Low) : Low;
    internal double InternalHigh => Log ? Math.Log(High) : High;
    internal double ToInternal(object value) => Log ? Math.Log(Convert.ToDouble(value)) : Convert.ToDouble(value);
    internal object FromInternal(double x) => Math.Clamp(Log ? Math.Exp(x) : x, Low, High);

    internal override void Validate() => Bounds.Check(Key, Low, High, Log);
}
