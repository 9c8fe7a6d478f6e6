using System.Text.Json;
using System.Text.Json.Nodes;
using Loom.IO;

namespace Loom.Experiments;

/// <summary>A data file left out of the XP's data set (data.on_corrupt=skip): its path and why it was left out.</summary>
public sealed record SkippedFile(string Path, string Reason);

/// <summary>
/// The files the XP's data set left out (`skipped_files.json` in the XP folder, data.on_corrupt=skip), written by the
/// task when the fit starts (each run: the files skipped by the last one) and counted by `loom info -f SIG`, so that
/// a run that trained on fewer images than its folder holds says so after the fact, not only in a scrolled-away warning.
/// </summary>
public static class SkippedFiles
{
    public const string FileName = "skipped_files.json";

    /// <summary>Writes skipped_files.json atomically; with no file skipped, removes a stale one of an earlier run.</summary>
    public static void Write(string xpFolder, IReadOnlyList<SkippedFile> files)
    {
        string path = Path.Combine(xpFolder, FileName);
        if (files.Count == 0)
        {
            if (File.Exists(path)) File.Delete(path); // File.Delete throws when the folder itself is not there yet
            return;
        }
        var list = new JsonArray(files.Select(f => (JsonNode?)new JsonObject { ["path"] = f.Path, ["reason"] = f.Reason }).ToArray());
        AtomicFile.WriteAllText(path, list.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>The files, or null when the folder has no list (nothing skipped, or an XP not started).</summary>
    public static IReadOnlyList<SkippedFile>? Read(string xpFolder)
    {
        string path = Path.Combine(xpFolder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path))!.AsArray()
                .Select(n => new SkippedFile(n!["path"]!.GetValue<string>(), n["reason"]!.GetValue<string>())).ToList();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new InvalidDataException($"{path}: not a JSON list of {{path, reason}} ({e.Message})");
        }
    }
}
