namespace Loom.Scheduling.Slurm;

/// <summary>
/// One job of the Slurm store: the request, the submission it belongs to (<see cref="Token"/>; its member
/// <see cref="Task"/> when that submission is an array), Slurm's id once known (`123` or `123_4`), the last
/// state seen, and the frozen code it runs (<see cref="Code"/>, a hash under `.loom/code/`, or null).
/// </summary>
public sealed record SlurmJobRow(long Id, JobRequest Request, string Token, int? Task, string? SlurmId, string State,
    int? ExitCode, int? Signal, string? Reason, string? Code)
{
    /// <summary>Reserved in the store, `sbatch` not (yet) known to have returned.</summary>
    public const string Submitting = "SUBMITTING";

    public bool IsSubmitting => State == Submitting;

    /// <summary>As the scheduler seam reports it: a submission in flight shows as PENDING without an id yet.</summary>
    public JobInfo Info => new(SlurmId ?? "-", Request.Sig, IsSubmitting ? JobState.Pending : JobStates.Parse(State), ExitCode, Signal, Reason);
}
