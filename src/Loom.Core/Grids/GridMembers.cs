using System.Text.Json;
using Loom.IO;

namespace Loom.Grids;

/// <summary>
/// What a grid held the last time it ran (`&lt;outputs&gt;/grids/&lt;name&gt;/members.json`, the signatures in order),
/// so that the next run can cancel the XPs that left it. Dora keeps symlinks there; one atomic file is
/// enough here and cannot be half-written.
/// </summary>
public static class GridMembers
{
    public static string PathOf(string outputsRoot, string grid) => Path.Combine(outputsRoot, "grids", grid, "members.json");

    public static IReadOnlyList<string> Load(string outputsRoot, string grid)
    {
        string path = PathOf(outputsRoot, grid);
        if (!File.Exists(path)) return [];
        try { return JsonSerializer.Deserialize<List<string>>(File.ReadAllText(path)) ?? []; }
        catch (JsonException e) { throw new GridException($"{path}: not a JSON list of signatures ({e.Message})"); }
    }

    public static void Save(string outputsRoot, string grid, IEnumerable<string> sigs) =>
        AtomicFile.WriteAllText(PathOf(outputsRoot, grid), JsonSerializer.Serialize(sigs.ToList()));
}
