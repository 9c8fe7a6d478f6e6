using Loom.Experiments;

namespace Loom.Searches;

/// <summary>Whether the objective is a loss (minimize) or a score such as accuracy (maximize).</summary>
public enum Direction { Minimize, Maximize }

public static class DirectionExtensions
{
    /// <summary>The value as a loss: samplers and pruners always minimize.</summary>
    public static double Loss(this Direction direction, double value) => direction == Direction.Maximize ? -value : value;

    public static bool Better(this Direction direction, double a, double b) => direction.Loss(a) < direction.Loss(b);

    /// <summary>The direction of a metric as its task declared it (metrics.json): a search never guesses it from the name.</summary>
    public static Direction Of(MetricSpec metric) => metric.Maximize ? Direction.Maximize : Direction.Minimize;
}
