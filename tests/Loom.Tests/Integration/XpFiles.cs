using System.Text.Json.Nodes;
using Loom.IO;

namespace Loom.Tests.Integration;

/// <summary>Reads what a run left in its XP folder, for comparisons between runs.</summary>
public static class XpFiles
{
    /// <summary>The history without the wall-clock fields (the only ones allowed to differ between runs).</summary>
    public static string HistoryWithoutTimings(string folder)
    {
        var array = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray();
        foreach (var epoch in array) { epoch!.AsObject().Remove("duration"); epoch.AsObject().Remove("samples_per_second"); }
        return array.ToJsonString();
    }

    /// <summary>The model and optimizer bytes of the last checkpoint: equal bytes mean bit-identical weights.</summary>
    public static (byte[] Model, byte[] Optimizer) LastState(string folder)
    {
        var sections = SectionFile.Read(Path.Combine(folder, "checkpoint.last"));
        return (sections["model"].ToArray(), sections["optimizer"].ToArray());
    }
}
