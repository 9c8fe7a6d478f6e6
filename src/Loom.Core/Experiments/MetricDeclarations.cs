using System.Text.Json;
using System.Text.Json.Nodes;
using Loom.IO;

namespace Loom.Experiments;

/// <summary>
/// The metrics an XP's task declared, as the trainer writes them into the XP folder (`metrics.json`:
/// `[{"name": "loss", "goal": "min", "format": "decimal"}, …]`). Readers ask <see cref="For(string)"/> with a history key
/// (`valid.top5_acc`, or a bare name); a metric nobody declared (`lr`, `samples_per_second`) is lower-is-better,
/// shown with 4 decimals.
/// </summary>
public sealed class MetricDeclarations
{
    public const string FileName = "metrics.json";

    readonly Dictionary<string, MetricSpec> byName;

    public MetricDeclarations(IEnumerable<MetricSpec> metrics)
    {
        Metrics = metrics.ToList();
        byName = [];
        foreach (var m in Metrics)
            if (!byName.TryAdd(m.Name, m)) throw new ArgumentException($"metric '{m.Name}' is declared twice", nameof(metrics));
        IsWritten = true;
    }

    /// <summary>In declaration order (`loss` first for Loom's).</summary>
    public IReadOnlyList<MetricSpec> Metrics { get; }

    /// <summary>False for an XP folder without metrics.json (trained before Loom wrote it, or not started yet).</summary>
    public bool IsWritten { get; private init; }

    /// <summary>
    /// What a folder without metrics.json gets: XPs trained before Loom wrote the file. Their tasks could not declare
    /// anything, and the table and the report then judged `…accuracy` metrics higher-is-better and showed them as
    /// percentages: kept for those folders only, here and nowhere else.
    /// </summary>
    public static MetricDeclarations Undeclared { get; } = new([]) { IsWritten = false };

    /// <summary>The spec of a history key (`valid.accuracy` → `accuracy`'s) or of a bare metric name.</summary>
    public MetricSpec For(string key)
    {
        string name = key.Contains('.') ? key[(key.IndexOf('.') + 1)..] : key;
        if (byName.TryGetValue(name, out var spec)) return spec;
        if (!IsWritten && name.EndsWith("accuracy", StringComparison.Ordinal)) return MetricSpec.Max(name, MetricFormat.Percent);
        return MetricSpec.Min(name);
    }

    public bool Declares(string key) => byName.ContainsKey(key.Contains('.') ? key[(key.IndexOf('.') + 1)..] : key);

    /// <summary>The spec of <paramref name="key"/> from the first of <paramref name="xps"/> that declares it (the XPs of one grid share a task).</summary>
    public static MetricSpec For(IEnumerable<MetricDeclarations> xps, string key)
    {
        MetricDeclarations? first = null;
        foreach (var d in xps)
        {
            if (d.Declares(key)) return d.For(key);
            first ??= d;
        }
        return (first ?? Undeclared).For(key);
    }

    /// <summary>Writes metrics.json atomically.</summary>
    public void Write(string xpFolder)
    {
        var array = new JsonArray(Metrics.Select(m => (JsonNode)new JsonObject
        {
            ["name"] = m.Name, ["goal"] = m.Goal == MetricGoal.Max ? "max" : "min", ["format"] = m.Format == MetricFormat.Percent ? "percent" : "decimal",
        }).ToArray());
        AtomicFile.WriteAllText(Path.Combine(xpFolder, FileName), array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>The XP folder's declarations; <see cref="Undeclared"/> when it has no metrics.json. A damaged file names itself.</summary>
    public static MetricDeclarations Read(string xpFolder)
    {
        string path = Path.Combine(xpFolder, FileName);
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return Undeclared; }
        try
        {
            if (JsonNode.Parse(text) is not JsonArray array) throw new InvalidDataException("not a list");
            return new MetricDeclarations(array.Select(Parse));
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: expected a list of {{name, goal: max|min, format: decimal|percent}} ({e.Message})");
        }
    }

    static MetricSpec Parse(JsonNode? node)
    {
        string Field(string key) => node?[key] is JsonValue v && v.TryGetValue(out string? s) ? s : throw new InvalidDataException($"an entry without a text '{key}'");
        var goal = Field("goal") switch { "max" => MetricGoal.Max, "min" => MetricGoal.Min, var g => throw new InvalidDataException($"goal '{g}'") };
        var format = Field("format") switch { "percent" => MetricFormat.Percent, "decimal" => MetricFormat.Decimal, var f => throw new InvalidDataException($"format '{f}'") };
        return new MetricSpec(Field("name"), goal, format);
    }
}
