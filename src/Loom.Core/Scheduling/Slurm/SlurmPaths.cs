namespace Loom.Scheduling.Slurm;

/// <summary>
/// Where the Slurm scheduler keeps its files under `&lt;outputs&gt;/.loom/`: the store, and one folder per
/// submission (an `sbatch` call) named by its token: the batch script, the lock its submitter holds until
/// Slurm's id is recorded, Slurm's own output, and what the batch script writes when a member starts and ends.
/// </summary>
public sealed record SlurmPaths(string OutputsRoot)
{
    public string Folder => Path.Combine(OutputsRoot, ".loom");
    public string Database => Path.Combine(Folder, "slurm.db");
    public string Submission(string token) => Path.Combine(Folder, "slurm", token);
    public string Script(string token) => Path.Combine(Submission(token), "job.sh");
    /// <summary>Held (flock) by the submitter from the reservation of the rows to the recording of Slurm's id.</summary>
    public string SubmitLock(string token) => Path.Combine(Submission(token), "submit.lock");
    /// <summary>One line per start of a member: `TASK SLURM_ID RESTART_COUNT` (finds a job whose id was never recorded).</summary>
    public string Started(string token) => Path.Combine(Submission(token), "started");
    /// <summary>`EXIT_CODE RESTART_COUNT` of a member's last run (the fallback once Slurm forgot the job).</summary>
    public string Exit(string token, int? task) => Path.Combine(Submission(token), $"exit.{task ?? 0}");

    /// <summary>The job name that carries the token into Slurm (found again by `squeue --name`).</summary>
    public static string JobName(string token) => $"loom-{token}";
}
