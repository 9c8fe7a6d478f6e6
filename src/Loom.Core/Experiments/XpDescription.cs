using Loom.Config;

namespace Loom.Experiments;

/// <summary>What `loom info` prints about an XP: a text block, or one JSON object for scripts.</summary>
public static class XpDescription
{
    public static string Text(Xp xp)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("name:   ").AppendLine(xp.Name.Length == 0 ? "(default)" : xp.Name);
        sb.Append("sig:    ").AppendLine(xp.Sig);
        sb.Append("folder: ").AppendLine(xp.Folder);
        sb.AppendLine(xp.Delta.Count == 0 ? "delta:  (none)" : "delta:");
        foreach (var d in xp.Delta) sb.Append("  ").Append(d.Key).Append(": ").AppendLine(ScalarText.Repr(d.Value));
        sb.AppendLine("config:");
        foreach (var line in xp.Config.ToYaml().TrimEnd('\n').Split('\n')) sb.Append("  ").AppendLine(line);
        return sb.ToString();
    }

    /// <summary>`{"sig", "name", "delta": [[key, value], ...], "folder", "config": {...}}` on one line.</summary>
    public static string Json(Xp xp)
    {
        var obj = new OrderedDictionary<string, object?>
        {
            ["sig"] = xp.Sig,
            ["name"] = xp.Name,
            ["delta"] = xp.Delta.Select(d => new object?[] { d.Key, d.Value }).ToList(),
            ["folder"] = xp.Folder,
            ["config"] = xp.Config,
        };
        return PyJson.Dumps(obj);
    }
}
