using System.Text.Json;
using System.Text.Json.Nodes;
using Loom.IO;

namespace Loom.Experiments;

/// <summary>Where one rank of a run segment ran: its host (as the rank's own hostname says), process id and threads.</summary>
public sealed record RankPlace(int Rank, string Host, int Pid, int Threads);

/// <summary>
/// `ranks.json` in the XP folder: where each rank of the latest run segment ran (rewritten atomically by rank 0 each
/// time the XP starts or resumes), shown by `loom info -f SIG`. On a multi-node Slurm job it says which node each
/// rank was on, so a rank's `worker_N.log` can be matched to a host.
/// </summary>
public static class RankPlaces
{
    public const string FileName = "ranks.json";

    public static void Write(string xpFolder, IReadOnlyList<RankPlace> places) =>
        AtomicFile.WriteAllText(Path.Combine(xpFolder, FileName),
            new JsonArray(places.Select(p => (JsonNode?)ToJson(p)).ToArray()).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

    /// <summary>The ranks of the latest segment, or null when the XP never started.</summary>
    public static IReadOnlyList<RankPlace>? Read(string xpFolder)
    {
        string path = Path.Combine(xpFolder, FileName);
        if (!File.Exists(path)) return null;
        try { return JsonNode.Parse(File.ReadAllText(path))!.AsArray().Select(n => FromJson(n!.AsObject())).ToList(); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new InvalidDataException($"{path}: not a JSON list of ranks {{rank, host, pid, threads}} ({e.Message})");
        }
    }

    /// <summary>One line per host: "node1: rank 0 (pid 123, 2 threads)".</summary>
    public static string Text(IReadOnlyList<RankPlace> places) =>
        string.Join("\n", places.GroupBy(p => p.Host).Select(g =>
            $"  {g.Key}: " + string.Join(", ", g.Select(p => $"rank {p.Rank} (pid {p.Pid}, {p.Threads} thread{(p.Threads == 1 ? "" : "s")})"))));

    /// <summary>On one line: "node1 (rank 0), node2 (rank 1)".</summary>
    public static string Summary(IReadOnlyList<RankPlace> places) =>
        string.Join(", ", places.GroupBy(p => p.Host).Select(g => $"{g.Key} (rank{(g.Count() == 1 ? "" : "s")} {string.Join(", ", g.Select(p => p.Rank))})"));

    /// <summary>One rank's place as a single JSON line (what each rank contributes to the gather).</summary>
    public static string ToLine(RankPlace place) => ToJson(place).ToJsonString();

    public static RankPlace FromLine(string line) => FromJson(JsonNode.Parse(line)!.AsObject());

    static JsonObject ToJson(RankPlace p) => new() { ["rank"] = p.Rank, ["host"] = p.Host, ["pid"] = p.Pid, ["threads"] = p.Threads };

    static RankPlace FromJson(JsonObject o) =>
        new(o["rank"]!.GetValue<int>(), o["host"]!.GetValue<string>(), o["pid"]!.GetValue<int>(), o["threads"]!.GetValue<int>());
}
