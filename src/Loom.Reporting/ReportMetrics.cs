namespace Loom.Reporting;

/// <summary>Which metrics a report shows first, and which have a best (their direction is the task's: metrics.json).</summary>
public static class ReportMetrics
{
    /// <summary>The lecture's curves, in the order the page and the grid table show them.</summary>
    public static readonly IReadOnlyList<string> Preferred =
        ["train.loss", "valid.loss", "test.loss", "train.accuracy", "valid.accuracy", "test.accuracy", "lr"];

    /// <summary>
    /// Only a split's metrics (`valid.loss`) are scores with a best; the learning rate is a setting and
    /// `samples_per_second` a speed of the machine: they have a final value but no best.
    /// </summary>
    public static bool HasBest(string metric) => metric.Contains('.') && !metric.EndsWith(".lr");

    /// <summary>The keys found, preferred ones first in their order, then the others alphabetically.</summary>
    public static IReadOnlyList<string> Order(IEnumerable<string> found)
    {
        var set = found.ToHashSet();
        return Preferred.Where(set.Contains).Concat(set.Except(Preferred).Order(StringComparer.Ordinal)).ToList();
    }
}
