using System.Security.Cryptography;
using System.Text;

namespace Loom.Scheduling;

/// <summary>
/// Frozen code, Dora's `git_save` for a compiled app: at submission the app's build output is copied once
/// into `&lt;outputs&gt;/.loom/code/&lt;hash&gt;/` (the hash of every file's path and bytes) and jobs run that
/// copy, so rebuilding or editing while jobs wait never changes what they run. Identical builds share one
/// copy. <see cref="Collect"/> removes the copies that no active job refers to.
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
        string source = Path.GetFullPath(buildDirectory);
        if (!System.IO.Directory.Exists(source)) throw new DirectoryNotFoundException($"the app's build folder {source} does not exist");
        string root = Root(outputsRoot);
        System.IO.Directory.CreateDirectory(root);
        var files = System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(source, f)).Order(StringComparer.Ordinal).ToList();
        string hash = ContentHash(source, files);
        string target = Path.Combine(root, hash);
        if (!System.IO.Directory.Exists(target))
        {
            string tmp = Path.Combine(root, $".tmp-{hash}-{Environment.ProcessId}-{Guid.NewGuid():N}");
            foreach (var file in files)
            {
                string to = Path.Combine(tmp, file);
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(Path.Combine(source, file), to);
                // File.Copy keeps the mode bits on Unix: the apphost stays executable.
            }
            try { System.IO.Directory.Move(tmp, target); }
            catch (IOException) when (System.IO.Directory.Exists(target)) { System.IO.Directory.Delete(tmp, recursive: true); } // another submitter won
        }
        // A fresh mtime tells Collect that this copy is about to be used, before any job row names it.
        System.IO.Directory.SetLastWriteTimeUtc(target, DateTime.UtcNow);
        return new CodeSnapshot(hash, target, source);
    }

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
            bool stale = System.IO.Directory.GetLastWriteTimeUtc(dir) < limit;
            if (name.StartsWith(".tmp-") ? !stale : keep.Contains(name) || !stale) continue;
            System.IO.Directory.Delete(dir, recursive: true);
            if (!name.StartsWith(".tmp-")) removed.Add(name);
        }
        return removed;
    }

    static string ContentHash(string source, IReadOnlyList<string> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        foreach (var file in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(file.Replace('\\', '/') + "\0"));
            using var stream = File.OpenRead(Path.Combine(source, file));
            sha.AppendData(BitConverter.GetBytes(stream.Length));
            int n;
            while ((n = stream.Read(buffer)) > 0) sha.AppendData(buffer, 0, n);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }
}
