using Loom.Config;

namespace Loom.Scheduling.Slurm;

/// <summary>
/// The `slurm:` section of a config: the defaults of every XP's resources, named as Dora's `slurm_` keys
/// (`time` in minutes, `mem` in GB per node, `setup` extra `#SBATCH` lines). A grid's `launcher.Slurm(...)`
/// overrides them. The section must be excluded from the signature (`loom.exclude: [slurm.*]`): where an XP
/// runs is not what it is.
/// </summary>
public sealed record SlurmConfig(string? Partition = null, int? Time = null, int? CpusPerTask = null, int? Mem = null,
    int? Gpus = null, string? Gres = null, int? Nodes = null, int? Tasks = null, int? TasksPerNode = null, string? Constraint = null,
    string? Qos = null, string? Account = null, string? Exclude = null, string? Comment = null, List<string>? Setup = null,
    int? ArrayParallelism = null, int? MaxNumTimeout = null, string? MpiNetwork = null)
{
    public const string Section = "slurm";

    /// <summary>The config's `slurm:` section (all defaults when it has none); a mistyped value is a ConfigException naming its key.</summary>
    public static SlurmConfig From(ConfigNode config) => config.Has(Section) ? config.Bind<SlurmConfig>(Section) : new SlurmConfig();

    /// <summary>These defaults as the resources a grid's root launcher starts from.</summary>
    public Resources ToResources() => new(CpusPerTask, Mem, Time, Tasks ?? 1)
    {
        Partition = Partition, Gpus = Gpus, Gres = Gres, Nodes = Nodes, TasksPerNode = TasksPerNode, Constraint = Constraint,
        Qos = Qos, Account = Account, Exclude = Exclude, Comment = Comment, Sbatch = Setup ?? [], ArrayParallelism = ArrayParallelism,
        MaxNumTimeout = MaxNumTimeout, MpiNetwork = MpiNetwork,
    };
}
