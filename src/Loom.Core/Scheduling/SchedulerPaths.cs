namespace Loom.Scheduling;

/// <summary>Where the local scheduler keeps its state: `&lt;outputs&gt;/.loom/`, next to the `xps/` it runs.</summary>
public sealed record SchedulerPaths(string OutputsRoot)
{
    public string Folder => Path.Combine(OutputsRoot, ".loom");
    public string Database => Path.Combine(Folder, "jobs.db");
    /// <summary>Held (flock) by the live scheduler daemon; the kernel drops it when the daemon dies.</summary>
    public string DaemonLock => Path.Combine(Folder, "scheduler.lock");
    public string DaemonLog => Path.Combine(Folder, "scheduler.log");
    /// <summary>The worker's stdout and stderr, in its XP folder.</summary>
    public static string WorkerLog(string xpFolder) => Path.Combine(xpFolder, "job.log");
}
