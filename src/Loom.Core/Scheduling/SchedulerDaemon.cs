using System.Diagnostics;

namespace Loom.Scheduling;

/// <summary>
/// The local scheduler's loop, run by a small detached process started on demand (`loom scheduler`): it
/// starts PENDING jobs as slots free, reaps its workers (exit code or signal), adopts workers left running by
/// a previous daemon that died, and exits once the queue has been empty for <see cref="IdleExit"/>.
/// Everything it knows is in the store, so killing it at any instant loses nothing: the next `loom`
/// command that finds active jobs and no daemon starts a new one.
/// </summary>
public sealed class SchedulerDaemon(SchedulerPaths paths, IReadOnlyList<string> workerCommand)
{
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan IdleExit { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How long a claimed job may wait for its worker to report before it is requeued.</summary>
    public TimeSpan StartGrace { get; init; } = TimeSpan.FromSeconds(60);

    readonly Dictionary<long, Process> children = [];

    /// <summary>Runs until idle; returns false at once if another daemon holds the lock.</summary>
    public bool Run()
    {
        var held = DaemonLock.TryAcquire(paths.DaemonLock);
        if (held is null) return false;
        using var store = new JobStore(paths.Database);
        var idleSince = DateTime.UtcNow;
        try
        {
            while (true)
            {
                Reap(store);
                var active = store.Active();
                Adopt(store, active.Where(j => j.State == JobState.Running && !children.ContainsKey(j.Id)));
                StartPending(store);
                if (active.Count > 0 || children.Count > 0) idleSince = DateTime.UtcNow;
                else if (DateTime.UtcNow - idleSince > IdleExit && store.IfIdle(() => { held.Dispose(); held = null; })) return true;
                Thread.Sleep(Poll);
            }
        }
        finally { held?.Dispose(); }
    }

    void Reap(JobStore store)
    {
        foreach (var (id, process) in children.Where(c => c.Value.HasExited).ToList())
        {
            // .NET reports a death by signal N as exit code 128 + N.
            int code = process.ExitCode;
            int? signal = code > 128 && code < 128 + 65 ? code - 128 : null;
            if (code == 0) store.Finish(id, JobState.Completed, 0, null, null);
            else store.Finish(id, JobState.Failed, signal is null ? code : null, signal, null);
            process.Dispose();
            children.Remove(id);
        }
    }

    /// <summary>Running jobs this daemon did not start: watch their pid; a claimed job with no worker goes back to the queue.</summary>
    void Adopt(JobStore store, IEnumerable<JobRow> orphans)
    {
        double now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        foreach (var job in orphans)
        {
            if (job.Pid is int pid)
            {
                if (!ProcessTree.IsAlive(pid, job.PidStart))
                    store.Finish(job.Id, JobState.Failed, null, null, "worker died while no scheduler watched it (exit status unknown)");
            }
            else if (now - (job.Launched ?? now) > StartGrace.TotalSeconds) store.Requeue(job.Id);
        }
    }

    void StartPending(JobStore store)
    {
        var active = store.Active();
        int running = active.Count(j => j.State == JobState.Running);
        int? maxJobs = store.MaxJobs;
        foreach (var job in active.Where(j => j.State == JobState.Pending))
        {
            int limit = maxJobs ?? Math.Max(1, Environment.ProcessorCount / job.Request.Resources.TotalCpus);
            if (running >= limit) break; // first in, first out: a big job is not overtaken by small ones
            if (!store.Claim(job.Id)) continue;
            Process process;
            try
            {
                process = ProcessTree.StartDetached([.. workerCommand, "--job", job.Id.ToString()], SchedulerPaths.WorkerLog(job.Request.Folder));
            }
            catch (Exception e)
            {
                store.Finish(job.Id, JobState.Failed, null, null, $"could not start the worker: {e.Message}");
                continue;
            }
            children[job.Id] = process;
            store.SetProcess(job.Id, process.Id, ProcessTree.StartTime(process.Id));
            running++;
        }
    }
}
