using System.Text.Json;
using Loom.Experiments;

namespace Loom.Tables;

/// <summary>
/// The metrics of one epoch of an XP's history.json (the last one, or the one a trim asks for), flattened to
/// dotted keys (`train.loss`, `valid.accuracy`, `lr`). Reads with JsonDocument and keeps only that epoch:
/// a table over a thousand XPs must not build a thousand object trees.
/// </summary>
public sealed record XpMetrics(int Epochs, IReadOnlyDictionary<string, double> Values)
{
    /// <summary>What the XP's task declared (metrics.json): the direction and format of each value.</summary>
    public MetricDeclarations Declared { get; init; } = MetricDeclarations.Undeclared;

    public static readonly XpMetrics None = new(0, new Dictionary<string, double>());

    /// <summary>Reads <paramref name="xpFolder"/>'s history; <paramref name="trim"/> caps the epoch shown. Unreadable → None.</summary>
    public static XpMetrics Read(string xpFolder, int? trim = null)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(Path.Combine(xpFolder, History.FileName)); }
        catch (IOException) { return None; }
        catch (UnauthorizedAccessException) { return None; }
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return None;
            int count = doc.RootElement.GetArrayLength();
            int epochs = trim is int t ? Math.Min(t, count) : count;
            if (epochs == 0) return None;
            var values = new Dictionary<string, double>();
            Flatten(doc.RootElement[epochs - 1], "", values);
            return new XpMetrics(epochs, values) { Declared = ReadDeclared(xpFolder) };
        }
        catch (JsonException) { return None; } // a history being written by hand; the trainer's are atomic
    }

    // The table shows what it can: a damaged metrics.json leaves the values shown with the defaults.
    static MetricDeclarations ReadDeclared(string xpFolder)
    {
        try { return MetricDeclarations.Read(xpFolder); }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException) { return MetricDeclarations.Undeclared; }
    }

    static void Flatten(JsonElement e, string prefix, Dictionary<string, double> into)
    {
        if (e.ValueKind != JsonValueKind.Object) return;
        foreach (var p in e.EnumerateObject())
        {
            string key = prefix + p.Name;
            if (p.Value.ValueKind == JsonValueKind.Number) into[key] = p.Value.GetDouble();
            else if (p.Value.ValueKind == JsonValueKind.Object) Flatten(p.Value, key + ".", into);
        }
    }
}
