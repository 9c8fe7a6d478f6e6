using System.Security.Cryptography;
using System.Text;
using Loom.IO;

namespace Loom.Scheduling;

/// <summary>
/// Frozen code, Dora's `git_save` for a compiled app: at submission the app's build output is copied once
/// into `&lt;outputs&gt;/.loom/code/&lt;hash&gt;/` (the hash of every file's path and bytes) and jobs run that
/// copy, so rebuilding or editing while jobs wait never changes what they run. Identical builds share one
/// copy, and identical files of different builds one object (<see cref="CodeSnapshotObjects"/>).
/// <see cref="Collect"/> removes the copies that no active job refers to.
/// </summary>
public sealed class CodeSnapshot
{
    /// <summary>The content hash (16 hex digits) naming the copy.</summary>
    public string Hash { get; }
    /// <summary>The copy: `&lt;outputs&gt;/.loom/code/&lt;hash&gt;/`.</summary>
    public string Directory { get; }
    /// <summary>The build folder it was copied from.</summary>
    public string Source { get; }

    CodeSnapshot(string hash, string directory, string source) { Hash = hash; Directory = directory; Source = source; }

    public static string Root(string outputsRoot) => Path.Combine(Path.GetFullPath(outputsRoot), ".loom", "code");

    /// <summary>
    /// Copies <paramref name="buildDirectory"/> into the outputs' code folder unless a copy with the same
    /// content is there. The copy is made in a temporary folder and renamed into place, so a job never sees a
    /// half-written copy and two submitters racing make one.
    /// </summary>
    public static CodeSnapshot Freeze(string buildDirectory, string outputsRoot)
    {
        string source = Path.TrimEndingDirectorySeparator(Path.GetFullPath(buildDirectory));
        if (!System.IO.Directory.Exists(source)) throw new DirectoryNotFoundException($"the app's build folder {source} does not exist");
        string root = Root(outputsRoot);
        System.IO.Directory.CreateDirectory(Manifests(root));
        var files = System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(source, f)).Order(StringComparer.Ordinal).ToList();
        var hashes = CodeSnapshotHashes.Of(root, source, files);
        var manifest = files.Zip(hashes, (file, hash) => $"{hash} {file.Replace('\\', '/')}").ToList();
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', manifest))))[..16];
        string target = Path.Combine(root, hash);
        // The manifest first: from now on Collect keeps these objects (within its grace period) even before the copy exists.
        AtomicFile.WriteAllText(ManifestOf(root, hash), string.Join('\n', manifest) + "\n");
        if (!System.IO.Directory.Exists(target))
        {
            string tmp = Path.Combine(root, $".tmp-{hash}-{Environment.ProcessId}-{Guid.NewGuid():N}");
            for (int i = 0; i < files.Count; i++)
                CodeSnapshotObjects.Place(root, Path.Combine(source, files[i]), hashes[i], Path.Combine(tmp, files[i]));
            try { System.IO.Directory.Move(tmp, target); }
            catch (IOException) when (System.IO.Directory.Exists(target)) { System.IO.Directory.Delete(tmp, recursive: true); } // another submitter won
        }
        // A fresh mtime tells Collect that this copy is about to be used, before any job row names it.
        System.IO.Directory.SetLastWriteTimeUtc(target, DateTime.UtcNow);
        File.SetLastWriteTimeUtc(ManifestOf(root, hash), DateTime.UtcNow);
        return new CodeSnapshot(hash, target, source);
    }

    static string Manifests(string root) => Path.Combine(root, ".manifests");
    static string ManifestOf(string root, string hash) => Path.Combine(Manifests(root), hash);

    /// <summary>The copy of an existing hash (for a job that records it).</summary>
    public static string PathOf(string outputsRoot, string hash) => Path.Combine(Root(outputsRoot), hash);

    /// <summary>
    /// <paramref name="command"/> with every argument that lies inside the build folder moved into the copy
    /// (the apphost `bin/Release/net10.0/app`, or `dotnet` followed by the app's dll).
    /// </summary>
    public IReadOnlyList<string> Rebase(IReadOnlyList<string> command) => command.Select(arg =>
    {
        if (!Path.IsPathRooted(arg)) return arg;
        string relative = Path.GetRelativePath(Source, Path.GetFullPath(arg));
        return relative.StartsWith("..") || Path.IsPathRooted(relative) ? arg : Path.Combine(Directory, relative);
    }).ToList();

    /// <summary>
    /// Deletes the copies that are not in <paramref name="inUse"/> (the hashes of active jobs) and were not
    /// frozen within <paramref name="grace"/> (a submitter may have frozen one and not yet recorded its jobs).
    /// Returns the hashes removed.
    /// </summary>
    public static IReadOnlyList<string> Collect(string outputsRoot, IEnumerable<string> inUse, TimeSpan? grace = null)
    {
        string root = Root(outputsRoot);
        if (!System.IO.Directory.Exists(root)) return [];
        var keep = inUse.ToHashSet();
        var limit = DateTime.UtcNow - (grace ?? TimeSpan.FromMinutes(10));
        var removed = new List<string>();
        foreach (var dir in System.IO.Directory.EnumerateDirectories(root))
        {
            string name = Path.GetFileName(dir);
            if (name is ".objects" or ".manifests") continue;
            bool stale = System.IO.Directory.GetLastWriteTimeUtc(dir) < limit;
            if (name.StartsWith(".tmp-") ? !stale : keep.Contains(name) || !stale) continue;
            System.IO.Directory.Delete(dir, recursive: true);
            if (!name.StartsWith(".tmp-")) removed.Add(name);
        }
        // The objects still needed: those of every manifest whose copy stays or that was written within the grace period.
        var needed = new HashSet<string>();
        foreach (var manifest in System.IO.Directory.EnumerateFiles(Manifests(root)))
        {
            string hash = Path.GetFileName(manifest);
            if (!System.IO.Directory.Exists(Path.Combine(root, hash)) && File.GetLastWriteTimeUtc(manifest) < limit) { File.Delete(manifest); continue; }
            foreach (var line in File.ReadLines(manifest)) if (line.Length > 0) needed.Add(line.Split(' ', 2)[0]);
        }
        CodeSnapshotObjects.Prune(root, needed);
        return removed;
    }
}
