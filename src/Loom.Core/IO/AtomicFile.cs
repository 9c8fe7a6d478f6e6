namespace Loom.IO;

/// <summary>
/// Writes a file so that a reader (or a process started after a crash) sees either the old content or the
/// new one, never a mix: write a temporary file in the same folder, flush it to disk, rename it over the
/// target, then flush the folder entry. A SIGKILL at any point leaves at most a stray `*.tmp-*` file.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        Write(path, stream => stream.Write(bytes));
    }

    public static void WriteAllText(string path, string text)
    {
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Streams the content through <paramref name="write"/> (large checkpoints are never held twice in memory).</summary>
    public static void Write(string path, Action<FileStream> write)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string tmp = TemporaryPath(full);
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
            SyncDirectory(dir);
        }
        catch (Exception e)
        {
            try { File.Delete(tmp); } catch (IOException) { }
            if (DiskFull.Is(e)) throw new DiskFullException(full, (IOException)e); // named by its target, not the temporary
            throw;
        }
    }

    /// <summary>
    /// Makes <paramref name="path"/> the same file as <paramref name="existing"/> (a hard link, renamed into place:
    /// no byte copied, still atomic). Files Loom writes are only ever replaced by rename, never changed in place,
    /// so sharing the inode is safe. Where links are not possible (another file system), copies atomically.
    /// </summary>
    public static void Link(string existing, string path)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        string tmp = TemporaryPath(full);
        if (HardLink.TryCreate(existing, tmp))
        {
            File.Move(tmp, full, overwrite: true);
            SyncDirectory(dir);
        }
        else Write(path, stream => { using var source = File.OpenRead(existing); source.CopyTo(stream); });
    }

    /// <summary>A fresh hidden name beside <paramref name="full"/> that <see cref="CleanStaleTemporaries"/> recognizes.</summary>
    static string TemporaryPath(string full) =>
        Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");

    /// <summary>Removes temporary files left by writers that were killed mid-write.</summary>
    public static void CleanStaleTemporaries(string dir)
    {
        if (!Directory.Exists(dir)) return;
        foreach (var f in Directory.EnumerateFiles(dir, ".*.tmp-*")) File.Delete(f);
    }

    // fsync on the folder makes the rename itself durable. .NET has no API for it; opening a directory
    // read-only and calling fsync through libc is the standard POSIX way.
    static void SyncDirectory(string dir)
    {
        if (!OperatingSystem.IsLinux()) return;
        int fd = Native.open(dir, 0 /* O_RDONLY */);
        if (fd < 0) return;
        Native.fsync(fd);
        Native.close(fd);
    }

    static class Native
    {
        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        public static extern int open([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPStr)] string path, int flags);
        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);
        [System.Runtime.InteropServices.DllImport("libc")]
        public static extern int close(int fd);
    }
}
