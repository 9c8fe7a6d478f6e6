namespace Loom.Scheduling.Slurm;

/// <summary>Slurm's job states (squeue's %T, scontrol's JobState) mapped to Loom's six.</summary>
public static class SlurmStates
{
    public static JobState Map(string slurmState) => slurmState.Trim().ToUpperInvariant() switch
    {
        "PENDING" or "CONFIGURING" or "REQUEUED" or "REQUEUE_HOLD" or "REQUEUE_FED" or "RESV_DEL_HOLD" => JobState.Pending,
        "RUNNING" or "COMPLETING" or "SUSPENDED" or "STOPPED" or "RESIZING" or "SIGNALING" or "STAGE_OUT" => JobState.Running,
        "COMPLETED" => JobState.Completed,
        "CANCELLED" => JobState.Cancelled,
        "TIMEOUT" => JobState.Timeout,
        // FAILED, NODE_FAIL, BOOT_FAIL, OUT_OF_MEMORY, DEADLINE, PREEMPTED (not requeued), SPECIAL_EXIT, REVOKED...
        _ => JobState.Failed,
    };

    /// <summary>`ExitCode=2:0` of scontrol and the jobcomp file: the exit code, and the signal when non-zero.</summary>
    public static (int? Code, int? Signal) ParseExitCode(string? text)
    {
        if (text is null) return (null, null);
        var parts = text.Split(':');
        int? code = int.TryParse(parts[0], out var c) ? c : null;
        int? signal = parts.Length > 1 && int.TryParse(parts[1], out var s) && s != 0 ? s : null;
        return (code, signal);
    }
}
