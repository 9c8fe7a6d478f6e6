namespace Loom.Scheduling;

/// <summary>One row of the local job store: the request, the state, and the worker process once started.</summary>
public sealed record JobRow(long Id, JobRequest Request, JobState State, int? Pid, long? PidStart,
    int? ExitCode, int? Signal, string? Reason, double? Launched)
{
    public JobInfo Info => new(Id.ToString(), Request.Sig, State, ExitCode, Signal, Reason);
}
