using System.Text.Json;
using System.Text.Json.Nodes;
using Loom.IO;

namespace Loom.Experiments;

/// <summary>
/// An XP's metric history, Dora's format: `history.json` is a JSON array with one object per epoch, e.g.
/// `{"epoch": 1, "train": {"loss": 0.5, "accuracy": 0.8}, "test": {...}, "lr": 0.1, "duration": 21.3}`.
/// It is the only channel from a running XP to the reporting side; it is rewritten atomically each epoch.
/// </summary>
public sealed class History
{
    public const string FileName = "history.json";
    readonly List<JsonObject> epochs;

    public History(IEnumerable<JsonObject>? epochs = null) => this.epochs = epochs?.ToList() ?? [];

    public IReadOnlyList<JsonObject> Epochs => epochs;
    public int Count => epochs.Count;

    public void Add(JsonObject epoch) => epochs.Add(epoch);

    /// <summary>A metric of one epoch by dotted path (`valid.accuracy`), or null when absent.</summary>
    public static double? Metric(JsonObject epoch, string path)
    {
        JsonNode? node = epoch;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
            if (node is null) return null;
        }
        return node is JsonValue v && v.TryGetValue(out double d) ? d : null;
    }

    public string ToJson() => new JsonArray(epochs.Select(e => (JsonNode)e.DeepClone()).ToArray())
        .ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    public static History FromJson(string json, string source)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: not valid JSON ({e.Message})"); }
        if (root is not JsonArray array) throw new InvalidDataException($"{source}: expected a JSON array of epochs");
        return new History(array.Select((e, i) => e as JsonObject ?? throw new InvalidDataException($"{source}: entry {i} is not an object"))
            .Select(e => (JsonObject)e.DeepClone()));
    }

    public void Save(string xpFolder) => AtomicFile.WriteAllText(Path.Combine(xpFolder, FileName), ToJson());

    /// <summary>The history of an XP folder; empty when the XP has not finished an epoch yet.</summary>
    public static History Load(string xpFolder)
    {
        string path = Path.Combine(xpFolder, FileName);
        if (!File.Exists(path)) return new History();
        string text = File.ReadAllText(path);
        try { return FromJson(text, path); }
        catch (InvalidDataException e)
        {
            throw new DamagedFileException(path, $"{e.Message[(path.Length + 2)..]}, {text.Length} characters",
                "delete it to forget the XP's metrics (the next `loom train` of the XP rewrites it from its checkpoint), or restore it");
        }
    }
}
