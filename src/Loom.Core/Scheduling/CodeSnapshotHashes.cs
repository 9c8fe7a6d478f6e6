using System.Security.Cryptography;
using System.Text.Json;
using Loom.IO;

namespace Loom.Scheduling;

/// <summary>
/// The SHA-256 of each file of a build folder, remembered by (path, size, modification time) in
/// `.loom/code/.hashes.json`, so that freezing an unchanged 1 GB build (TorchSharp's native libraries) reads
/// metadata only. A lost or stale cache only costs re-hashing; concurrent writers may drop each other's entries.
/// </summary>
public static class CodeSnapshotHashes
{
    public static IReadOnlyList<string> Of(string root, string source, IReadOnlyList<string> files)
    {
        string cachePath = Path.Combine(root, ".hashes.json");
        Dictionary<string, string> cache;
        try { cache = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(cachePath)) ?? []; }
        catch (Exception e) when (e is IOException or JsonException) { cache = []; }
        var fresh = new Dictionary<string, string>();
        var hashes = files.Select(file =>
        {
            var info = new FileInfo(Path.Combine(source, file));
            string stamp = $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
            if (!cache.TryGetValue(stamp, out var hash))
            {
                using var stream = info.OpenRead();
                hash = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
            lock (fresh) fresh[stamp] = hash;
            return hash;
        }).ToList();
        // Keep the entries of other build folders; drop this folder's stale ones.
        foreach (var (stamp, hash) in cache) if (!stamp.StartsWith(source + Path.DirectorySeparatorChar)) fresh.TryAdd(stamp, hash);
        AtomicFile.WriteAllText(cachePath, JsonSerializer.Serialize(fresh));
        return hashes;
    }
}
