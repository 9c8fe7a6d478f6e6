using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Tasks;

/// <summary>
/// Named metrics of an epoch, each a weighted mean: a task adds, per batch, a sum and the weight it covers
/// (`Add("accuracy", correct, batchSize)`), the epoch's value is Σsum / Σweight. Sums are doubles so batch
/// order changes nothing beyond the last bit, and they all-reduce across ranks as plain numbers. The
/// training loss is added by the trainer under `loss`, weighted by the batch size.
/// </summary>
public sealed class Metrics
{
    readonly List<string> names = [];
    readonly Dictionary<string, (double Sum, double Weight)> sums = [];

    /// <summary>Names in the order they were first added (the history's key order).</summary>
    public IReadOnlyList<string> Names => names;

    public void Add(string name, double sum, double weight)
    {
        if (!(weight > 0)) throw new ArgumentOutOfRangeException(nameof(weight), weight, $"metric '{name}': the weight must be positive");
        if (sums.TryGetValue(name, out var s)) sums[name] = (s.Sum + sum, s.Weight + weight);
        else { names.Add(name); sums[name] = (sum, weight); }
    }

    /// <summary>Adds a scalar tensor's value (reads it back from the device).</summary>
    public void Add(string name, Tensor sum, double weight) => Add(name, sum.ToDouble(), weight);

    /// <summary>Adds a batch mean: <paramref name="mean"/> × <paramref name="weight"/>.</summary>
    public void AddMean(string name, double mean, double weight) => Add(name, mean * weight, weight);

    public double this[string name] => sums.TryGetValue(name, out var s) ? s.Sum / s.Weight
        : throw new KeyNotFoundException($"no metric '{name}' (have: {string.Join(", ", names)})");

    public bool Contains(string name) => sums.ContainsKey(name);

    /// <summary>(sum, weight) pairs flattened in name order — what data parallel all-reduces.</summary>
    public double[] ToSums() => names.SelectMany(n => new[] { sums[n].Sum, sums[n].Weight }).ToArray();

    /// <summary>Replaces the sums with <paramref name="values"/> (as laid out by <see cref="ToSums"/>).</summary>
    public void SetSums(ReadOnlySpan<double> values)
    {
        if (values.Length != 2 * names.Count) throw new ArgumentException($"expected {2 * names.Count} values, got {values.Length}");
        for (int i = 0; i < names.Count; i++) sums[names[i]] = (values[2 * i], values[2 * i + 1]);
    }

    /// <summary>A copy of these sums as JSON (a mid-epoch checkpoint), and back.</summary>
    public System.Text.Json.Nodes.JsonObject ToJson() => new()
    {
        ["names"] = new System.Text.Json.Nodes.JsonArray(names.Select(n => (System.Text.Json.Nodes.JsonNode?)n).ToArray()),
        ["sums"] = new System.Text.Json.Nodes.JsonArray(ToSums().Select(v => (System.Text.Json.Nodes.JsonNode?)v).ToArray()),
    };

    public static Metrics FromJson(System.Text.Json.Nodes.JsonObject json)
    {
        var metrics = new Metrics();
        var sums = json["sums"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var list = json["names"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        for (int i = 0; i < list.Count; i++) metrics.Add(list[i], sums[2 * i], sums[2 * i + 1]);
        return metrics;
    }

    /// <summary>The epoch's means, in name order.</summary>
    public Dictionary<string, double> Means() => names.ToDictionary(n => n, n => this[n]);
}
