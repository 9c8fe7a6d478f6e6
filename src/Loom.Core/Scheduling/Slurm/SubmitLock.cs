using System.Runtime.InteropServices;

namespace Loom.Scheduling.Slurm;

/// <summary>
/// The lock a submitter holds on its submission, from reserving the XPs to recording Slurm's id. Unlike
/// <see cref="DaemonLock"/> its file descriptor is inherited by the processes the submitter starts: a
/// `loom` killed while its `sbatch` is still talking to slurmctld leaves the lock held by that `sbatch`
/// until it exits, so that no one takes the submission for one that never reached Slurm and submits its
/// XPs a second time. flock(2) locks belong to the open file, which parent and children share; the
/// probe (<see cref="DaemonLock.TryAcquire"/>, a FileStream with FileShare.None) uses flock too.
/// </summary>
public sealed class SubmitLock : IDisposable
{
    const int O_RDWR = 2, O_CREAT = 0x40, LOCK_EX = 2, LOCK_NB = 4;
    int fd;

    SubmitLock(int fd) { this.fd = fd; }

    /// <summary>The held lock, or null when another process holds it.</summary>
    public static SubmitLock? TryAcquire(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        int fd = open(path, O_RDWR | O_CREAT, Convert.ToInt32("644", 8)); // no O_CLOEXEC: children inherit it
        if (fd < 0) throw new IOException($"cannot open {path} (errno {Marshal.GetLastPInvokeError()})");
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) return new SubmitLock(fd);
        close(fd);
        return null;
    }

    /// <summary>Closes this process's descriptor; the lock ends once the children that inherited it have exited too.</summary>
    public void Dispose()
    {
        if (fd >= 0) close(fd);
        fd = -1;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags, int mode);
    [DllImport("libc", SetLastError = true)]
    static extern int flock(int fd, int operation);
    [DllImport("libc")]
    static extern int close(int fd);
}
