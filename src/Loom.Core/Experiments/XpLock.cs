namespace Loom.Experiments;

/// <summary>Another process is already running this XP.</summary>
public sealed class XpBusyException(string message) : Exception(message);

/// <summary>
/// Exclusive ownership of an XP folder while a run uses it, so that two processes never train (and
/// checkpoint) the same XP at once. .NET takes a non-blocking `flock` for FileShare.None on Unix; the kernel
/// drops it when the process dies, even by SIGKILL, so a crash never leaves a stale lock behind.
/// </summary>
public sealed class XpLock : IDisposable
{
    public const string FileName = ".lock";
    readonly FileStream stream;

    XpLock(FileStream stream) => this.stream = stream;

    public static XpLock Acquire(string xpFolder)
    {
        Directory.CreateDirectory(xpFolder);
        string path = Path.Combine(xpFolder, FileName);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString());
            stream.Write(pid);
            stream.Flush();
            return new XpLock(stream);
        }
        catch (IOException)
        {
            string owner = "";
            try { owner = File.ReadAllText(path).Trim(); } catch (IOException) { }
            throw new XpBusyException($"{xpFolder} is in use by another loom process{(owner.Length > 0 ? $" (pid {owner})" : "")}");
        }
    }

    public void Dispose() => stream.Dispose();
}
