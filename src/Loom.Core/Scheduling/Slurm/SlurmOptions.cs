namespace Loom.Scheduling.Slurm;

/// <summary>
/// How the Slurm scheduler runs the app. <see cref="AppCommand"/> is how to start the app (its apphost, or
/// `dotnet app.dll`: the CLI's SelfCommand); <see cref="WorkerArgs"/> what to add for one XP (by default
/// `run -f SIG --outputs ROOT`). With <see cref="AppDirectory"/> set, that build folder is frozen at
/// submission (<see cref="CodeSnapshot"/>) and the command's paths inside it point into the copy.
/// </summary>
public sealed record SlurmOptions(IReadOnlyList<string> AppCommand)
{
    public string? AppDirectory { get; init; }
    public Func<JobRequest, IReadOnlyList<string>> WorkerArgs { get; init; } = DefaultWorkerArgs;
    /// <summary>`--signal=B:USR1@grace`: seconds between the warning and the time limit (Dora's 90).</summary>
    public int SignalGraceSeconds { get; init; } = 90;
    /// <summary>XPs with the same resources go into one `sbatch --array` (false: one `sbatch` per XP).</summary>
    public bool UseArrays { get; init; } = true;
    /// <summary>The jobs' working directory (`--chdir`); null: the submitter's current directory.</summary>
    public string? WorkingDirectory { get; init; }
    public SlurmCommands Commands { get; init; } = new();

    public static IReadOnlyList<string> DefaultWorkerArgs(JobRequest r) => ["run", "-f", r.Sig, "--outputs", r.OutputsRoot];
}
