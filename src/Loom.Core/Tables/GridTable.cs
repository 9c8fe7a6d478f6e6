using Loom.Experiments;
using Loom.Scheduling;

namespace Loom.Tables;

/// <summary>One XP of the table: its place in the grid, its XP, its latest job (if any) and its metrics.</summary>
public sealed record XpStatus(int Index, Xp Xp, JobInfo? Job, XpMetrics Metrics);

/// <summary>
/// Dora's grid table as plain data: Meta columns (index, name, state, sig, job id), then the epoch and the
/// metric columns — those the grid declares (<see cref="Grids.Grid.Metrics"/>, Dora's `get_grid_metrics`), else
/// every `split.metric` found in the histories. The name column holds only what differs between XPs; the
/// shared part is <see cref="BaseName"/>, printed once above.
/// </summary>
public sealed record GridTable(string BaseName, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    static readonly string[] Splits = ["train", "valid", "test"];

    /// <summary>
    /// The declared columns, else the `split.metric` keys present in at least one XP: train, valid, test first
    /// (then any other split), each split's metrics in the order the histories list them (loss first for Loom's).
    /// </summary>
    public static IReadOnlyList<string> MetricKeys(IEnumerable<XpStatus> xps, IReadOnlyList<string>? declared = null)
    {
        if (declared is { Count: > 0 }) return declared;
        var present = xps.SelectMany(x => x.Metrics.Values.Keys).Where(k => k.Contains('.')).Distinct().ToList();
        int Rank(string key) { int i = Array.IndexOf(Splits, key[..key.IndexOf('.')]); return i < 0 ? Splits.Length : i; }
        return present.Select((k, i) => (k, i)).OrderBy(p => Rank(p.k)).ThenBy(p => p.i).Select(p => p.k).ToList();
    }

    public static GridTable Build(IReadOnlyList<XpStatus> xps, IReadOnlyList<string>? declaredMetrics = null)
    {
        var (baseName, names) = XpName.ForGrid(xps.Select(x => x.Xp.Delta).ToList());
        var keys = MetricKeys(xps, declaredMetrics);
        var rows = xps.Select((x, i) => (IReadOnlyList<string>)[
            x.Index.ToString(), names[i], State(x.Job), x.Xp.Sig, x.Job?.JobId ?? "",
            x.Metrics.Epochs == 0 ? "" : x.Metrics.Epochs.ToString(),
            .. keys.Select(k => x.Metrics.Values.TryGetValue(k, out var v) ? SpecFor(xps, k).Show(v) : "")]).ToList();
        return new GridTable(baseName, Header(keys), rows);
    }

    public static IReadOnlyList<string> Header(IReadOnlyList<string> metricKeys) =>
        ["idx", "name", "state", "sig", "job", "epoch", .. metricKeys.Select(k => k.Replace("accuracy", "acc").Replace('.', ' '))];

    public static string State(JobInfo? job) => job?.State.Short() ?? "";

    /// <summary>How the column of <paramref name="key"/> is shown, as the XPs' tasks declared it (metrics.json).</summary>
    public static MetricSpec SpecFor(IEnumerable<XpStatus> xps, string key) => MetricDeclarations.For(xps.Select(x => x.Metrics.Declared), key);
}
