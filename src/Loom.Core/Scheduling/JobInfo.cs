namespace Loom.Scheduling;

/// <summary>
/// What a scheduler knows of one job. <see cref="JobId"/> is the backend's id (a local sequence number,
/// later a Slurm job id). A failed job carries its exit code or the signal that killed it when known.
/// </summary>
public sealed record JobInfo(string JobId, string Sig, JobState State, int? ExitCode = null, int? Signal = null, string? Reason = null)
{
    /// <summary>A short account of the end of the job: "exit code 1", "killed by signal 9 (SIGKILL)".</summary>
    public string Outcome => (ExitCode, Signal) switch
    {
        (_, int s) => $"killed by signal {s}{(s == 9 ? " (SIGKILL)" : s == 15 ? " (SIGTERM)" : "")}",
        (int c, _) => $"exit code {c}",
        _ => Reason ?? "",
    };
}
