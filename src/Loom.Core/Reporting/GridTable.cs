using Loom.Experiments;
using Loom.Scheduling;

namespace Loom.Reporting;

/// <summary>One XP of the table: its place in the grid, its XP, its latest job (if any) and its metrics.</summary>
public sealed record XpStatus(int Index, Xp Xp, JobInfo? Job, XpMetrics Metrics);

/// <summary>
/// Dora's grid table as plain data: Meta columns (index, name, state, sig, job id), then the epoch and the
/// metric groups found in the histories (train, valid, test: loss and accuracy). The name column holds
/// only what differs between XPs; the shared part is <see cref="BaseName"/>, printed once above.
/// </summary>
public sealed record GridTable(string BaseName, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    static readonly string[] Splits = ["train", "valid", "test"];
    static readonly string[] Metrics = ["loss", "accuracy"];

    /// <summary>Metric columns present in at least one XP, in the fixed split × metric order.</summary>
    public static IReadOnlyList<string> MetricKeys(IEnumerable<XpStatus> xps)
    {
        var present = xps.SelectMany(x => x.Metrics.Values.Keys).ToHashSet();
        return Splits.SelectMany(s => Metrics.Select(m => $"{s}.{m}")).Where(present.Contains).ToList();
    }

    public static GridTable Build(IReadOnlyList<XpStatus> xps)
    {
        var (baseName, names) = XpName.ForGrid(xps.Select(x => x.Xp.Delta).ToList());
        var keys = MetricKeys(xps);
        var rows = xps.Select((x, i) => (IReadOnlyList<string>)[
            x.Index.ToString(), names[i], State(x.Job), x.Xp.Sig, x.Job?.JobId ?? "",
            x.Metrics.Epochs == 0 ? "" : x.Metrics.Epochs.ToString(),
            .. keys.Select(k => x.Metrics.Values.TryGetValue(k, out var v) ? Format(k, v) : "")]).ToList();
        return new GridTable(baseName, Header(keys), rows);
    }

    public static IReadOnlyList<string> Header(IReadOnlyList<string> metricKeys) =>
        ["idx", "name", "state", "sig", "job", "epoch", .. metricKeys.Select(k => k.Replace("accuracy", "acc").Replace('.', ' '))];

    public static string State(JobInfo? job) => job?.State.Short() ?? "";

    /// <summary>Accuracies as percentages, losses with 4 decimals.</summary>
    public static string Format(string key, double v) => key.EndsWith("accuracy") ? $"{100 * v:F2}" : $"{v:F4}";
}
