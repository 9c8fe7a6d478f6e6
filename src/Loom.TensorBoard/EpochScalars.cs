using System.Text.Json.Nodes;
using Loom.Experiments;

namespace Loom.TensorBoard;

/// <summary>
/// The scalars of a history entry as TensorBoard tags: every numeric leaf, its path joined by `/`
/// (`{"train": {"loss": 0.5}}` → `train/loss`), except `epoch`, which is the step.
/// </summary>
public static class EpochScalars
{
    public static IEnumerable<(string Tag, double Value)> Of(JsonObject entry) => Walk(entry, "");

    /// <summary>Every tag that any epoch of these histories has, first seen first: the metrics of an experiment summary.</summary>
    public static IReadOnlyList<string> Tags(IEnumerable<History> histories) =>
        histories.SelectMany(h => h.Epochs).SelectMany(e => Of(e).Select(s => s.Tag)).Distinct(StringComparer.Ordinal).ToList();

    // A value built in memory may hold a float, an int or a decimal, for which TryGetValue<double> fails;
    // its JSON text is what history.json holds, whatever the CLR type.
    static double AsDouble(JsonValue v) => v.TryGetValue(out double d) ? d
        : double.Parse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

    static IEnumerable<(string, double)> Walk(JsonObject node, string prefix)
    {
        foreach (var (key, child) in node)
        {
            if (prefix.Length == 0 && key == "epoch") continue;
            string tag = prefix + key;
            if (child is JsonObject o)
                foreach (var leaf in Walk(o, tag + "/")) yield return leaf;
            else if (child is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number)
                yield return (tag, AsDouble(v));
        }
    }
}
