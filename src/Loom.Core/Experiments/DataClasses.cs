using System.Text.Json;
using System.Text.Json.Nodes;
using Loom.IO;

namespace Loom.Experiments;

/// <summary>
/// The class names of an XP's data set by label (`classes.json` in the XP folder: data=folder's subfolders), written
/// by the task when the fit starts and shown by `loom info -f SIG`, so that a label in a report reads as its name.
/// </summary>
public static class DataClasses
{
    public const string FileName = "classes.json";

    /// <summary>Writes classes.json atomically.</summary>
    public static void Write(string xpFolder, IReadOnlyList<string> names) =>
        AtomicFile.WriteAllText(Path.Combine(xpFolder, FileName),
            new JsonArray(names.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

    /// <summary>The names, or null when the folder has none (a data set without class names, or an XP not started).</summary>
    public static IReadOnlyList<string>? Read(string xpFolder)
    {
        string path = Path.Combine(xpFolder, FileName);
        if (!File.Exists(path)) return null;
        try { return JsonNode.Parse(File.ReadAllText(path))!.AsArray().Select(n => n!.GetValue<string>()).ToList(); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new InvalidDataException($"{path}: not a JSON list of class names ({e.Message})");
        }
    }
}
