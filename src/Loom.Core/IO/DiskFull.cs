namespace Loom.IO;

/// <summary>
/// A write that failed because the disk (or the user's quota) is full: ENOSPC / EDQUOT on Linux, ERROR_DISK_FULL /
/// ERROR_HANDLE_DISK_FULL on Windows. Loom's writers turn it into <see cref="DiskFullException"/>, naming the file.
/// </summary>
public static class DiskFull
{
    const int Enospc = 28, Edquot = 122;
    const int DiskFullWin = unchecked((int)0x80070070), HandleDiskFullWin = unchecked((int)0x80070027);

    public static bool Is(Exception e) => e is IOException { HResult: Enospc or Edquot or DiskFullWin or HandleDiskFullWin };
}

/// <summary>
/// Writing <see cref="Path"/> ran out of disk space. Every file Loom keeps is replaced atomically, so what was there
/// before (the previous checkpoint, history.json) is intact, and the same command resumes once space is freed.
/// </summary>
public sealed class DiskFullException(string path, IOException inner)
    : IOException($"{path}: the disk is full (no space left on device); the files written before are intact: free space, then run the same command again to resume", inner)
{
    public string Path { get; } = path;
}
