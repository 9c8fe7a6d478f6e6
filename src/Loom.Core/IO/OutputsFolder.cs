using Loom.Config;

namespace Loom.IO;

/// <summary>
/// `loom.outputs` checked before anything runs (train and info alike): the nearest part of the path that exists
/// must be a folder Loom can create folders in. A regular file in the way, or a read-only place, is one line naming
/// `loom.outputs` and the culprit (exit 2), and nothing is created: the probe folder is removed at once.
/// </summary>
public static class OutputsFolder
{
    public static void Check(string root)
    {
        string full = Path.GetFullPath(root);
        string? existing = full;
        while (existing is not null && !Directory.Exists(existing))
        {
            if (File.Exists(existing))
                throw new ConfigException($"loom.outputs={root}: {existing} is a file, not a folder");
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is null) throw new ConfigException($"loom.outputs={root}: no part of the path exists");
        // Permissions alone do not say it (root ignores them; read-only mounts, /proc): try to create a folder there.
        string probe = Path.Combine(existing, $".loom-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"loom.outputs={root}: cannot create folders in {existing} ({(e is UnauthorizedAccessException ? "permission denied" : "read-only or not a plain folder")})");
        }
    }
}
