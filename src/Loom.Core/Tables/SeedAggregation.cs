using Loom.Experiments;
using Loom.Scheduling;

namespace Loom.Tables;

/// <summary>
/// Beyond Dora: XPs that differ only by `seed` shown as one row, each metric as mean ± std over the seeds
/// (sample standard deviation; 0 for a single seed). The name drops the seed; the sig column shows the
/// first XP's sig and the number of seeds; the state column the states present (`COM`, `RUN/PEN`).
/// </summary>
public static class SeedAggregation
{
    public const string SeedKey = "seed";

    public static GridTable Build(IReadOnlyList<XpStatus> xps, IReadOnlyList<string>? declaredMetrics = null)
    {
        var groups = xps.GroupBy(x => Signature.Compute(WithoutSeed(x.Xp.Delta))).Select(g => g.ToList()).ToList();
        var (baseName, names) = XpName.ForGrid(groups.Select(g => (IReadOnlyList<DeltaItem>)WithoutSeed(g[0].Xp.Delta)).ToList());
        var keys = GridTable.MetricKeys(xps, declaredMetrics);
        var rows = groups.Select((g, i) => (IReadOnlyList<string>)[
            g[0].Index.ToString(), names[i],
            string.Join("/", g.Select(x => GridTable.State(x.Job)).Where(s => s.Length > 0).Distinct()),
            g.Count == 1 ? g[0].Xp.Sig : $"{g[0].Xp.Sig} ×{g.Count}",
            string.Join(",", g.Select(x => x.Job?.JobId).OfType<string>()),
            g.Max(x => x.Metrics.Epochs) is int e && e > 0 ? e.ToString() : "",
            .. keys.Select(k => Cell(GridTable.SpecFor(xps, k), g.Select(x => x.Metrics.Values.TryGetValue(k, out var v) ? v : (double?)null).OfType<double>().ToList()))]).ToList();
        return new GridTable(baseName, GridTable.Header(keys), rows);
    }

    static List<DeltaItem> WithoutSeed(IEnumerable<DeltaItem> delta) => delta.Where(d => d.Key != SeedKey).ToList();

    static string Cell(MetricSpec spec, IReadOnlyList<double> values)
    {
        if (values.Count == 0) return "";
        double mean = values.Average();
        double std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return $"{spec.Show(mean)} ± {spec.Show(std)}";
    }
}
