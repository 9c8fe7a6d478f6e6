using Loom.Config;

namespace Loom.Data;

/// <summary>
/// `data.root` of an image data set checked before anything runs (`info` and `train` alike, through the task's
/// Validate): a folder that exists and can be read, else one line naming the key and the culprit, exit 2, and
/// nothing created. Which files it must hold is the readers' to say (they name the missing or damaged file).
/// </summary>
public static class DataRoot
{
    public static void Check(DataSettings s)
    {
        if (DataFactory.IsTable(s)) return; // data=csv names its files in data.train and data.test
        if (!DataFactory.IsBuiltIn(s)) return; // an app's data set: its reader names what it reads (and may read no folder)
        string root = DataFactory.RootOf(s);
        string expected = $"expected the folder of {s.Name}'s files{(s.Name == "fashion_mnist" ? "; on Debian: apt-get install dataset-fashion-mnist" : "")}";
        if (File.Exists(root)) throw new ConfigException($"data.root={root}: a file, not a folder ({expected})");
        if (!Directory.Exists(root))
        {
            string full = Path.GetFullPath(root);
            string? missing = full;
            while (Path.GetDirectoryName(missing) is { } parent && !Directory.Exists(parent)) missing = parent;
            string through = missing != full ? $"; {missing} does not exist" : "";
            throw new ConfigException($"data.root={root}: no such folder{through} ({expected})");
        }
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(root).GetEnumerator();
            entries.MoveNext();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new ConfigException($"data.root={root}: the folder cannot be read ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)})");
        }
    }
}
