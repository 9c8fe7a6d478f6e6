using System.Text.Json.Nodes;
using Loom.Experiments;

namespace Loom.Training;

/// <summary>An epoch's history entry (`{"epoch": …, "train": {…}, "valid": {…}, "lr": …}`): how it is written and summed up.</summary>
static class EpochEntry
{
    /// <summary>`loss` first, then the task's metrics in the order it added them.</summary>
    public static JsonObject MetricsJson(Dictionary<string, double> means)
    {
        var json = new JsonObject();
        if (means.TryGetValue("loss", out var loss)) json["loss"] = loss;
        foreach (var (k, v) in means) if (k != "loss") json[k] = v;
        return json;
    }

    /// <summary>Every `split.metric` path of the entry.</summary>
    public static IEnumerable<string> MetricPaths(JsonObject entry) =>
        entry.Where(kv => kv.Value is JsonObject).SelectMany(kv => kv.Value!.AsObject().Select(m => $"{kv.Key}.{m.Key}"));

    public static double? BestOf(History history, string path, bool maximize)
    {
        var values = history.Epochs.Select(e => History.Metric(e, path)).Where(v => v is not null).ToList();
        return values.Count == 0 ? null : maximize ? values.Max() : values.Min();
    }

    /// <summary>The log line of an epoch: `epoch 3 | train loss 0.4 acc 0.86 | valid … | 12.3s`.</summary>
    public static string Summary(JsonObject entry)
    {
        var parts = new List<string> { $"epoch {entry["epoch"]}" };
        foreach (var (split, value) in entry)
            if (value is JsonObject m)
                parts.Add($"{split} " + string.Join(" ", m.Select(kv => $"{(kv.Key == "accuracy" ? "acc" : kv.Key)} {Value(kv.Key, kv.Value!.GetValue<double>())}")));
        parts.Add($"{entry["duration"]}s");
        return string.Join(" | ", parts);
    }

    // The count of steps left out (optim.nonfinite=skip) reads as a count; a metric keeps four decimals.
    static string Value(string key, double v) => key == "skipped_steps" ? $"{v:F0}" : $"{v:F4}";
}
