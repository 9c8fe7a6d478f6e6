namespace Loom.Scheduling;

/// <summary>
/// What one job asks of the scheduler (Dora's `slurm` settings). <see cref="Cpus"/> is per task (Slurm's
/// `--cpus-per-task`; null: the XP's `threads`) and <see cref="Tasks"/> the data-parallel ranks; the local
/// scheduler counts <see cref="TotalCpus"/> against the cores and ignores the Slurm-only settings (the
/// init properties); Slurm turns each into an `#SBATCH` line (see Scheduling/Slurm/SlurmScript.cs).
/// Null means "the backend's default".
/// </summary>
public sealed record Resources(int? Cpus = null, int? MemoryGb = null, int? TimeMinutes = null, int Tasks = 1)
{
    /// <summary>The cores the whole job uses on one machine: cpus per task × tasks.</summary>
    public int TotalCpus => Math.Max(1, Cpus ?? 1) * Math.Max(1, Tasks);

    /// <summary>`--partition`.</summary>
    public string? Partition { get; init; }
    /// <summary>`--gpus-per-task`.</summary>
    public int? Gpus { get; init; }
    /// <summary>`--gres`, e.g. `gpu:a100:2` (when GPUs are named by type).</summary>
    public string? Gres { get; init; }
    /// <summary>`--nodes`.</summary>
    public int? Nodes { get; init; }
    /// <summary>`--ntasks-per-node`; with it, <see cref="Tasks"/> is the total only when <see cref="Nodes"/> is not given.</summary>
    public int? TasksPerNode { get; init; }
    /// <summary>`--constraint`.</summary>
    public string? Constraint { get; init; }
    /// <summary>`--qos`.</summary>
    public string? Qos { get; init; }
    /// <summary>`--account`.</summary>
    public string? Account { get; init; }
    /// <summary>`--exclude` (node list).</summary>
    public string? Exclude { get; init; }
    /// <summary>`--comment`.</summary>
    public string? Comment { get; init; }
    /// <summary>Extra `#SBATCH` lines, written as given (with or without the `#SBATCH` prefix).</summary>
    public IReadOnlyList<string> Sbatch { get; init; } = [];
    /// <summary>Dora's `array_parallelism`: at most this many members of one array run at once (default 256).</summary>
    public int? ArrayParallelism { get; init; }
    /// <summary>
    /// The network (CIDR, e.g. `10.77.0.0/24`) Open MPI's TCP traffic keeps to when the job spans several nodes
    /// (`OMPI_MCA_btl_tcp_if_include`, `OMPI_MCA_oob_tcp_if_include`); null: Open MPI's choice (every interface but loopback).
    /// </summary>
    public string? MpiNetwork { get; init; }
    /// <summary>Dora's `max_num_timeout`: how many times an XP may hit its time limit and be requeued (default 20).</summary>
    public int? MaxNumTimeout { get; init; }

    /// <summary>These resources with the given (non-null) fields replaced, as launcher.Slurm does.</summary>
    public Resources With(int? cpus = null, int? memoryGb = null, int? timeMinutes = null, int? tasks = null) =>
        this with { Cpus = cpus ?? Cpus, MemoryGb = memoryGb ?? MemoryGb, TimeMinutes = timeMinutes ?? TimeMinutes, Tasks = tasks ?? Tasks };

    /// <summary>
    /// A canonical text of every setting: two requests with the same key can share one Slurm array. (Record
    /// equality would compare <see cref="Sbatch"/> by reference.)
    /// </summary>
    public string Key => string.Join('\u001f', Cpus, MemoryGb, TimeMinutes, Tasks, Partition, Gpus, Gres, Nodes, TasksPerNode,
        Constraint, Qos, Account, Exclude, Comment, string.Join('\u001e', Sbatch), ArrayParallelism, MaxNumTimeout, MpiNetwork);
}
