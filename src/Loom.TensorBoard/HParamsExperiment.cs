namespace Loom.TensorBoard;

/// <summary>
/// The grid-level view for TensorBoard's HPARAMS tab: in the grid folder, a link per XP to its event files
/// (TensorBoard follows links, and a link's name becomes the session's run name) and an event file with the
/// experiment summary: each hyper-parameter's domain over the grid and the metric tags. `tensorboard
/// --logdir GRID_FOLDER` then lists every XP as a session. Running it again brings the folder up to date.
/// </summary>
public static class HParamsExperiment
{
    /// <summary>Writes or refreshes the grid folder; returns the path of the experiment's event file.</summary>
    /// <exception cref="ArgumentException">A session name that is not a plain file name, given twice, or taken by a real file or folder.</exception>
    public static string Write(string gridFolder, IEnumerable<HParamsSession> sessions, IEnumerable<string> metricTags, string name = "")
    {
        var list = sessions.ToList();
        foreach (var s in list)
            if (s.Name.Length == 0 || s.Name is "." or ".." || s.Name.IndexOfAny(['/', '\\', '\0']) >= 0)
                throw new ArgumentException($"TensorBoard session name '{s.Name}': must be a plain file name (e.g. the XP's signature)");
        if (list.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"TensorBoard session name '{twice.Key}' is given twice");

        Directory.CreateDirectory(gridFolder);
        var wanted = list.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(gridFolder).EnumerateFileSystemInfos())
            if (entry.LinkTarget is not null && !wanted.Contains(entry.Name)) entry.Delete(); // an XP that left the grid
        foreach (var s in list) Link(Path.Combine(gridFolder, s.Name), Path.GetFullPath(s.LogDir));

        var domains = list.SelectMany(s => s.HParams.Keys).Distinct(StringComparer.Ordinal)
            .Select(key => HParamDomain.Of(key, list.Where(s => s.HParams.ContainsKey(key)).Select(s => s.HParams[key])))
            .ToList();
        var previous = EventFileName.InFolder(gridFolder);
        string written;
        using (var writer = new EventFileWriter(gridFolder))
        {
            writer.Write(HParamsMessages.ExperimentEvent(WallClock.Now(), name, domains, metricTags));
            written = writer.Path;
        }
        // Only now that the new summary is on disk: TensorBoard uses one experiment tag, from any run.
        foreach (var old in previous) File.Delete(old);
        return written;
    }

    static void Link(string linkPath, string target)
    {
        var existing = new FileInfo(linkPath);
        if (existing.LinkTarget is not null)
        {
            if (existing.LinkTarget == target) return;
            existing.Delete();
        }
        else if (File.Exists(linkPath) || Directory.Exists(linkPath))
            throw new ArgumentException($"{linkPath}: exists and is not a link; remove it or choose another session name");
        Directory.CreateSymbolicLink(linkPath, target);
    }
}
