namespace Loom.Scheduling;

/// <summary>
/// "Is a scheduler daemon alive?" as a lock: the daemon holds an exclusive flock on a file for its whole
/// life; the kernel releases it when the daemon dies, even by SIGKILL, so a stale lock is impossible.
/// </summary>
public static class DaemonLock
{
    /// <summary>The held lock, or null when another process holds it.</summary>
    public static IDisposable? TryAcquire(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString()));
            stream.Flush();
            return stream;
        }
        catch (IOException) { return null; }
    }

    public static bool IsHeld(string path)
    {
        if (!File.Exists(path)) return false;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (IOException) { return true; }
    }
}
