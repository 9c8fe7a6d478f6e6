namespace Loom.Scheduling;

/// <summary>
/// The worker's side of a local job (`loom run -f SIG --job ID`): it records its own pid when it starts and
/// its outcome when it ends, so that the store stays right even when no scheduler daemon outlived it.
/// </summary>
public static class WorkerReport
{
    public static JobRow Started(string outputsRoot, long jobId)
    {
        using var store = new JobStore(new SchedulerPaths(outputsRoot).Database);
        var job = store.Get(jobId) ?? throw new InvalidOperationException($"no job {jobId} in {store.Path}");
        store.SetProcess(jobId, Environment.ProcessId, ProcessTree.StartTime(Environment.ProcessId));
        return job;
    }

    public static void Ended(string outputsRoot, long jobId, Exception? error)
    {
        using var store = new JobStore(new SchedulerPaths(outputsRoot).Database);
        if (error is null) store.Finish(jobId, JobState.Completed, 0, null, null);
        else store.Finish(jobId, JobState.Failed, 1, null, error.Message.ReplaceLineEndings(" "));
    }
}
