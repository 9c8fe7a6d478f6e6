namespace Loom.Scheduling;

/// <summary>
/// The embedded default backend: jobs are OS processes on this machine, queued in a SQLite store under the
/// outputs folder and started by a scheduler daemon that this class starts on demand (see docs/experiments.md).
/// <paramref name="selfCommand"/> is how to run `loom` itself (the daemon runs `loom scheduler`).
/// </summary>
public sealed class LocalScheduler(string outputsRoot, IReadOnlyList<string> selfCommand) : IScheduler, IDisposable
{
    public SchedulerPaths Paths { get; } = new(Path.GetFullPath(outputsRoot));
    JobStore? store;
    JobStore Store => store ??= new JobStore(Paths.Database);

    /// <summary>How long a cancelled worker gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The daemon's command line, without the trailing `--job ID` it adds for workers.</summary>
    public static IReadOnlyList<string> DaemonArgs(string outputsRoot) => ["scheduler", "--outputs", outputsRoot];

    public IReadOnlyList<JobInfo> Submit(IReadOnlyList<JobRequest> requests)
    {
        if (requests.Count == 0) return [];
        var jobs = Store.Submit(requests);
        EnsureDaemon(); // after the commit: see JobStore.IfIdle for why this order cannot lose a job
        return jobs.Select(j => j.Info).ToList();
    }

    public IReadOnlyDictionary<string, JobInfo> Latest(IEnumerable<string> sigs)
    {
        var latest = Store.Latest(sigs);
        // Only a daemon decides that a worker died (it alone may know the exit code); make sure one watches.
        if (latest.Values.Any(j => j.State.IsActive())) EnsureDaemon();
        return latest.ToDictionary(kv => kv.Key, kv => kv.Value.Info);
    }

    public void Cancel(IEnumerable<string> jobIds)
    {
        var running = Store.Cancel(jobIds.Select(long.Parse));
        ProcessTree.Kill(running.Where(j => j.Pid is not null).Select(j => (j.Pid!.Value, j.PidStart)), KillGrace);
    }

    public JobRow? Get(string jobId) => long.TryParse(jobId, out var id) ? Store.Get(id) : null;

    /// <summary>Caps the number of jobs running at once (null: cores ÷ cpus per job).</summary>
    public void SetMaxJobs(int? n) => Store.MaxJobs = n;

    /// <summary>Starts the daemon unless one holds its lock; a second daemon racing in exits at once.</summary>
    public void EnsureDaemon()
    {
        if (DaemonLock.IsHeld(Paths.DaemonLock)) return;
        using var _ = ProcessTree.StartDetached([.. selfCommand, .. DaemonArgs(Paths.OutputsRoot)], Paths.DaemonLog);
    }

    public void Dispose() => store?.Dispose();
}
