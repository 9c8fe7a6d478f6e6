namespace Loom.Experiments;

/// <summary>Which way a metric improves.</summary>
public enum MetricGoal { Min, Max }

/// <summary>How a metric's values are shown: `0.1234`, or a fraction as a percentage (`12.34`).</summary>
public enum MetricFormat { Decimal, Percent }

/// <summary>
/// A metric as its task declares it: its name (as in history.json, without the split), whether larger or smaller is
/// better, and how to show it. The trainer (monitor, early stopping, the plateau schedule) and everything that
/// reads an XP folder (table, report, plots) take the direction and the format from here, never from the name.
/// </summary>
public sealed record MetricSpec(string Name, MetricGoal Goal = MetricGoal.Min, MetricFormat Format = MetricFormat.Decimal)
{
    /// <summary>Loom's own training loss: lower is better.</summary>
    public static MetricSpec Loss { get; } = new("loss");

    /// <summary>A higher-is-better metric (accuracy, F1, top-5 accuracy).</summary>
    public static MetricSpec Max(string name, MetricFormat format = MetricFormat.Decimal) => new(name, MetricGoal.Max, format);

    /// <summary>A lower-is-better metric (an error, a perplexity).</summary>
    public static MetricSpec Min(string name, MetricFormat format = MetricFormat.Decimal) => new(name, MetricGoal.Min, format);

    public bool Maximize => Goal == MetricGoal.Max;

    /// <summary>The value as the table shows it: percentages with 2 decimals, the others with 4.</summary>
    public string Show(double value) => Format == MetricFormat.Percent ? $"{100 * value:F2}" : $"{value:F4}";

    /// <summary>The better of two values.</summary>
    public bool Better(double candidate, double than) => Maximize ? candidate > than : candidate < than;
}
