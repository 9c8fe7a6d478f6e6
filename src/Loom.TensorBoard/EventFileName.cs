using System.Globalization;

namespace Loom.TensorBoard;

/// <summary>
/// The names TensorBoard looks for: `events.out.tfevents.&lt;seconds, 10 digits&gt;.&lt;host&gt;.&lt;pid&gt;.&lt;n&gt;`
/// (TensorFlow's EventFileWriter adds the same pid and counter suffix). It reads a folder's files in name
/// order, so the zero-padded time makes a later fit's file come after an earlier one's.
/// </summary>
public static class EventFileName
{
    public const string Prefix = "events.out.tfevents.";

    public static bool IsEventFile(string path) => Path.GetFileName(path).Contains(".tfevents.", StringComparison.Ordinal);

    /// <summary>A name that no file in <paramref name="folder"/> has yet.</summary>
    public static string NewPath(string folder, DateTimeOffset now)
    {
        string seconds = now.ToUnixTimeSeconds().ToString("D10", CultureInfo.InvariantCulture);
        string host = Environment.MachineName;
        for (int n = 0; ; n++)
        {
            string path = Path.Combine(folder, $"{Prefix}{seconds}.{host}.{Environment.ProcessId}.{n}");
            if (!File.Exists(path)) return path;
        }
    }

    /// <summary>The event files of a folder (not its subfolders), in the order TensorBoard reads them.</summary>
    public static IReadOnlyList<string> InFolder(string folder) => Directory.Exists(folder)
        ? Directory.EnumerateFiles(folder).Where(IsEventFile).Order(StringComparer.Ordinal).ToList()
        : [];
}
