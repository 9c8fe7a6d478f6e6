using System.Security.Cryptography;
using System.Text;
using Loom.IO;

namespace Loom.Data;

/// <summary>
/// Decompressed copies of gzip data files, so that a start does not inflate 26 MB of Fashion-MNIST again (about
/// 0.15 s of every `loom train`; torchvision likewise keeps the raw files it extracted). The folder is
/// `$LOOM_CACHE_DIR`, else `$XDG_CACHE_HOME/loom`, else `~/.cache/loom`, under `data/`; `LOOM_CACHE_DIR=off`
/// disables it. A copy is keyed by the source's full path, size and modification time (a changed file gets a new
/// copy), written atomically (a reader sees a whole copy or none), and the cache is best effort: a folder that
/// cannot be written only means no copy.
/// </summary>
public static class DecompressedCache
{
    /// <summary>The cache folder, or null when disabled or no home folder is known.</summary>
    public static string? Folder
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable("LOOM_CACHE_DIR");
            if (configured == "off") return null;
            string? root = !string.IsNullOrEmpty(configured) ? configured
                : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "loom")
                : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? Path.Combine(home, ".cache", "loom")
                : null;
            return root is null ? null : Path.Combine(root, "data");
        }
    }

    /// <summary>Where the decompressed copy of <paramref name="source"/> is (or would be); null without a cache.</summary>
    public static string? PathFor(string source)
    {
        if (Folder is not string folder) return null;
        var info = new FileInfo(source);
        string key = $"{info.FullName}\n{info.Length}\n{info.LastWriteTimeUtc.Ticks}";
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        return Path.Combine(folder, $"{hash}-{Path.GetFileNameWithoutExtension(source)}");
    }

    /// <summary>Writes the copy at <paramref name="path"/> (from <see cref="PathFor"/>) made of <paramref name="parts"/>;
    /// failures are ignored (the cache is an optimization).</summary>
    public static void Store(string path, params byte[][] parts)
    {
        try
        {
            if (File.Exists(path)) return;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.Write(path, stream =>
            {
                foreach (var part in parts) stream.Write(part);
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Removes a copy that turned out unreadable, so the next start makes a new one.</summary>
    public static void Forget(string path)
    {
        try { File.Delete(path); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
