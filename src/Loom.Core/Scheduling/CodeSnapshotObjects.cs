namespace Loom.Scheduling;

/// <summary>
/// The files of all frozen copies, stored once each by content in `.loom/code/.objects/&lt;sha256&gt;`; a copy's
/// files are hard links to them, so a rebuild that changes one dll adds one file, not the whole 1 GB build.
/// Objects are never written after they are stored, so sharing an inode between copies is safe; a file system
/// without hard links gets plain copies.
/// </summary>
public static class CodeSnapshotObjects
{
    public static string Folder(string root) => Path.Combine(root, ".objects");

    /// <summary>Stores <paramref name="file"/> under its hash unless it is there, then links it to <paramref name="target"/>.</summary>
    public static void Place(string root, string file, string hash, string target)
    {
        string objects = Folder(root);
        Directory.CreateDirectory(objects);
        string stored = Path.Combine(objects, hash);
        if (!File.Exists(stored))
        {
            string tmp = Path.Combine(objects, $".tmp-{Guid.NewGuid():N}");
            File.Copy(file, tmp); // keeps the mode bits on Unix: an apphost stays executable
            try { File.Move(tmp, stored, overwrite: false); }
            catch (IOException) when (File.Exists(stored)) { File.Delete(tmp); } // another freezer stored it first
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (!IO.HardLink.TryCreate(stored, target)) File.Copy(stored, target);
    }

    /// <summary>Deletes the objects that no listed hash needs; returns how many.</summary>
    public static int Prune(string root, IReadOnlySet<string> needed)
    {
        string objects = Folder(root);
        if (!Directory.Exists(objects)) return 0;
        int removed = 0;
        foreach (var path in Directory.EnumerateFiles(objects))
        {
            string name = Path.GetFileName(path);
            if (name.StartsWith(".tmp-") ? File.GetLastWriteTimeUtc(path) > DateTime.UtcNow.AddHours(-1) : needed.Contains(name)) continue;
            File.Delete(path);
            removed++;
        }
        return removed;
    }
}
