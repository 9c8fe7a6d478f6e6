namespace Loom.Distributed;

/// <summary>
/// Finds out whether this process is one rank of a data-parallel job, from the variables its launcher sets:
/// <c>OMPI_COMM_WORLD_RANK</c>/<c>_SIZE</c> under Open MPI's mpirun, <c>PMIX_RANK</c> with
/// <c>SLURM_PROCID</c>/<c>SLURM_STEP_NUM_TASKS</c> under <c>srun --mpi=pmix</c>. Reading them needs no MPI, so a
/// rank can choose its log file before MPI_Init.
/// </summary>
public static class DistributedEnvironment
{
    /// <summary>This process's place from the environment alone (rank 0 of 1 when no launcher started it).</summary>
    public static LaunchInfo Read() => Read(Environment.GetEnvironmentVariable);

    /// <summary><see cref="Read()"/> over a given environment (tests).</summary>
    public static LaunchInfo Read(Func<string, string?> env)
    {
        if (env("OMPI_COMM_WORLD_SIZE") is string ompiSize)
            return new LaunchInfo(Int(env, "OMPI_COMM_WORLD_RANK"), Int(ompiSize, "OMPI_COMM_WORLD_SIZE"), "mpirun");
        string? stepTasks = env("SLURM_STEP_NUM_TASKS") ?? (env("PMIX_RANK") is null ? null : env("SLURM_NTASKS"));
        if (stepTasks is not null && Int(stepTasks, "SLURM_STEP_NUM_TASKS") > 1)
        {
            if (env("PMIX_RANK") is null)
                throw new MpiUnavailableException(
                    "srun started several tasks without PMIx: run them with `srun --mpi=pmix` (Debian's Open MPI has no PMI2 support)");
            return new LaunchInfo(Int(env, "SLURM_PROCID"), Int(stepTasks, "SLURM_STEP_NUM_TASKS"), "srun");
        }
        return new LaunchInfo(0, 1, "none");
    }

    /// <summary>
    /// The process context of this process: <see cref="ProcessContext.Single"/> without a launcher (or with one
    /// rank), else MPI initialized and its collectives, checked against what the launcher announced.
    /// </summary>
    public static ProcessContext Detect()
    {
        var launch = Read();
        if (launch.WorldSize == 1) return ProcessContext.Single;
        var collectives = MpiCollectives.Start();
        if (collectives.Rank != launch.Rank || collectives.WorldSize != launch.WorldSize)
        {
            collectives.Dispose();
            throw new MpiUnavailableException(
                $"{launch.Launcher} announced rank {launch.Rank} of {launch.WorldSize} but MPI says {collectives.Rank} of {collectives.WorldSize}");
        }
        return new ProcessContext(collectives.Rank, collectives.WorldSize, collectives);
    }

    static int Int(Func<string, string?> env, string name) =>
        Int(env(name) ?? throw new MpiUnavailableException($"the launcher did not set {name}"), name);

    static int Int(string value, string name) =>
        int.TryParse(value, out int n) && n >= 0 ? n : throw new MpiUnavailableException($"{name}={value} is not a rank count");
}
