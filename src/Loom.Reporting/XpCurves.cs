using System.Text.Json.Nodes;
using Loom.Experiments;

namespace Loom.Reporting;

/// <summary>
/// An XP's history as curves: for each metric (dotted key such as `valid.accuracy`, or `lr`), one value per
/// epoch, null where that epoch did not record it. The x axis is the epoch number (`epoch`, else 1, 2, …).
/// </summary>
public sealed record XpCurves(IReadOnlyList<int> Epochs, IReadOnlyDictionary<string, IReadOnlyList<double?>> Metrics)
{
    /// <summary>Keys that describe the epoch rather than measure the model.</summary>
    static readonly HashSet<string> NotMetrics = ["epoch", "duration"];

    public static XpCurves From(History history)
    {
        var epochs = history.Epochs.Select((e, i) => (int?)History.Metric(e, "epoch") ?? i + 1).ToList();
        var keys = new List<string>();
        foreach (var epoch in history.Epochs) foreach (var key in NumericKeys(epoch, "")) if (!keys.Contains(key)) keys.Add(key);
        var metrics = keys.Where(k => !NotMetrics.Contains(k))
            .ToDictionary(k => k, k => (IReadOnlyList<double?>)history.Epochs.Select(e => Finite(History.Metric(e, k))).ToList());
        return new XpCurves(epochs, metrics);
    }

    /// <summary>The history of an XP folder as curves; an unreadable history.json is the user's to fix, named.</summary>
    public static XpCurves Read(string xpFolder)
    {
        try { return From(History.Load(xpFolder)); }
        catch (Exception e) when (e is InvalidDataException or IO.DamagedFileException) { throw new ReportException(e.Message); }
    }

    /// <summary>The value at the last epoch that recorded the metric.</summary>
    public double? Final(string metric) => Metrics.TryGetValue(metric, out var v) ? v.LastOrDefault(x => x is not null) : null;

    /// <summary>The best value over epochs in the direction <paramref name="spec"/> declares; null for the LR (no "best").</summary>
    public double? Best(string metric, MetricSpec spec)
    {
        if (!Metrics.TryGetValue(metric, out var v) || !ReportMetrics.HasBest(metric)) return null;
        var values = v.OfType<double>().ToList();
        if (values.Count == 0) return null;
        return spec.Maximize ? values.Max() : values.Min();
    }

    static double? Finite(double? v) => v is double d && double.IsFinite(d) ? d : null; // JSON cannot carry NaN

    static IEnumerable<string> NumericKeys(JsonObject o, string prefix)
    {
        foreach (var (name, node) in o)
        {
            if (node is JsonObject child) foreach (var k in NumericKeys(child, prefix + name + ".")) yield return k;
            else if (node is JsonValue v && v.TryGetValue(out double _)) yield return prefix + name;
        }
    }
}
