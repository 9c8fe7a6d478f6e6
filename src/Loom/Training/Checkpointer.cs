using Loom.IO;
using Loom.Logging;

namespace Loom.Training;

/// <summary>
/// Keeps an XP's checkpoints: `checkpoint.last` (every epoch), `checkpoint.prev` (the one before, for
/// falling back when `last` is damaged) and `checkpoint.best` (the best on the monitored metric). Each is a
/// <see cref="SectionFile"/>: written atomically, verified by its checksum on load.
///
/// Save order: `last` is renamed to `prev`, then the new `last` is written atomically. A SIGKILL anywhere
/// leaves a valid `last`, or a valid `prev` and no `last`: resume then redoes one epoch, and since an
/// epoch is a deterministic function of the checkpoint, the result is the same, bit for bit.
/// </summary>
public sealed class Checkpointer(string folder, Logger log)
{
    public string LastPath => Path.Combine(folder, "checkpoint.last");
    public string PreviousPath => Path.Combine(folder, "checkpoint.prev");
    public string BestPath => Path.Combine(folder, "checkpoint.best");

    /// <summary>Writes `last`; a best one is `last` again under the name `best` (a hard link: not written twice).</summary>
    public void Save(IReadOnlyList<Section> sections, bool isBest)
    {
        bool rotated = File.Exists(LastPath);
        if (rotated) File.Move(LastPath, PreviousPath, overwrite: true);
        CrashPoint.Hit("checkpoint.rotated");
        try
        {
            SectionFile.Write(LastPath, sections);
        }
        catch (IOException) when (rotated && !File.Exists(LastPath))
        {
            // The write failed and left nothing (a full disk: AtomicFile removed its temporary): `last` is the
            // previous checkpoint again, byte for byte, by a rename that needs no space.
            File.Move(PreviousPath, LastPath);
            throw;
        }
        CrashPoint.Hit("checkpoint.written");
        if (isBest) AtomicFile.Link(LastPath, BestPath);
    }

    /// <summary>
    /// The newest valid checkpoint's sections, or null when the XP has none (a fresh start).
    /// A damaged `last` falls back to `prev` with a warning; if checkpoints exist but none is valid, throws.
    /// Only the process that owns the folder (<paramref name="owner"/>: rank 0 in data parallel) removes the
    /// temporaries a killed run left: another rank would delete the files rank 0 is writing at that moment.
    /// </summary>
    public Dictionary<string, ArraySegment<byte>>? LoadLatest(bool owner = true)
    {
        if (owner) AtomicFile.CleanStaleTemporaries(folder);
        var errors = new List<string>();
        foreach (var path in new[] { LastPath, PreviousPath })
        {
            if (!File.Exists(path)) continue;
            try
            {
                var sections = SectionFile.Read(path);
                if (errors.Count > 0) log.Warning($"falling back to {Path.GetFileName(path)}: {string.Join("; ", errors)}");
                return sections;
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
            {
                errors.Add(e.Message);
            }
        }
        if (errors.Count > 0)
            throw new CheckpointException($"no valid checkpoint in {folder}: {string.Join("; ", errors)} (use restart=true to start over)");
        return null;
    }
}
