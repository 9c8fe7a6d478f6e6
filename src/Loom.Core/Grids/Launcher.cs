using Loom.Experiments;
using Loom.Scheduling;

namespace Loom.Grids;

/// <summary>
/// Dora's launcher: holds overrides and resources; <see cref="Bind"/> and <see cref="Slurm"/> return a derived
/// launcher, <see cref="Bind_"/> and <see cref="Slurm_"/> change this one, and <see cref="Launch"/> (Dora's
/// `launcher(...)`) adds one XP to the grid. A later override of the same key replaces an earlier one, as
/// Dora's keyword arguments do.
/// </summary>
public sealed class Launcher
{
    readonly Herd herd;
    List<string> argv;
    Resources resources;

    public Launcher(Herd herd, IEnumerable<string>? argv = null, Resources? resources = null)
    {
        this.herd = herd;
        this.argv = argv?.ToList() ?? [];
        this.resources = resources ?? new Resources();
    }

    public IReadOnlyList<string> Argv => argv;
    public Resources Resources => resources;

    public Launcher Bind(params string[] overrides) => new(herd, Merge(argv, overrides), resources);

    public Launcher Bind_(params string[] overrides) { argv = Merge(argv, overrides); return this; }

    /// <summary>
    /// A launcher with these resources changed (Dora's `slurm_` keys; null leaves a setting as it is):
    /// `launcher.Slurm(partition: "learnlab", gpus: 8, timeMinutes: 600)`.
    /// </summary>
    public Launcher Slurm(int? cpus = null, int? memoryGb = null, int? timeMinutes = null, int? tasks = null,
        string? partition = null, int? gpus = null, string? gres = null, int? nodes = null, int? tasksPerNode = null,
        string? constraint = null, string? qos = null, string? account = null, string? exclude = null, string? comment = null,
        IReadOnlyList<string>? sbatch = null, int? arrayParallelism = null, int? maxNumTimeout = null, string? mpiNetwork = null) =>
        new(herd, argv, Apply(resources, cpus, memoryGb, timeMinutes, tasks, partition, gpus, gres, nodes, tasksPerNode,
            constraint, qos, account, exclude, comment, sbatch, arrayParallelism, maxNumTimeout, mpiNetwork));

    /// <summary>As <see cref="Slurm"/>, changing this launcher.</summary>
    public Launcher Slurm_(int? cpus = null, int? memoryGb = null, int? timeMinutes = null, int? tasks = null,
        string? partition = null, int? gpus = null, string? gres = null, int? nodes = null, int? tasksPerNode = null,
        string? constraint = null, string? qos = null, string? account = null, string? exclude = null, string? comment = null,
        IReadOnlyList<string>? sbatch = null, int? arrayParallelism = null, int? maxNumTimeout = null, string? mpiNetwork = null)
    {
        resources = Apply(resources, cpus, memoryGb, timeMinutes, tasks, partition, gpus, gres, nodes, tasksPerNode,
            constraint, qos, account, exclude, comment, sbatch, arrayParallelism, maxNumTimeout, mpiNetwork);
        return this;
    }

    static Resources Apply(Resources r, int? cpus, int? memoryGb, int? timeMinutes, int? tasks, string? partition, int? gpus,
        string? gres, int? nodes, int? tasksPerNode, string? constraint, string? qos, string? account, string? exclude,
        string? comment, IReadOnlyList<string>? sbatch, int? arrayParallelism, int? maxNumTimeout, string? mpiNetwork) =>
        r.With(cpus, memoryGb, timeMinutes, tasks) with
        {
            Partition = partition ?? r.Partition, Gpus = gpus ?? r.Gpus, Gres = gres ?? r.Gres, Nodes = nodes ?? r.Nodes,
            TasksPerNode = tasksPerNode ?? r.TasksPerNode, Constraint = constraint ?? r.Constraint, Qos = qos ?? r.Qos,
            Account = account ?? r.Account, Exclude = exclude ?? r.Exclude, Comment = comment ?? r.Comment,
            Sbatch = sbatch?.ToList() ?? r.Sbatch, ArrayParallelism = arrayParallelism ?? r.ArrayParallelism,
            MaxNumTimeout = maxNumTimeout ?? r.MaxNumTimeout, MpiNetwork = mpiNetwork ?? r.MpiNetwork,
        };


    /// <summary>Adds the XP of this launcher's overrides plus <paramref name="overrides"/> to the grid.</summary>
    public void Launch(params string[] overrides) => herd.Add(Merge(argv, overrides), resources);

    static List<string> Merge(IEnumerable<string> current, IEnumerable<string> added)
    {
        var merged = current.ToList();
        foreach (var o in added)
        {
            int i = merged.FindIndex(m => Key(m) == Key(o));
            if (i >= 0) merged[i] = o; else merged.Add(o);
        }
        return merged;
    }

    /// <summary>The key an override sets: `+a.b=1`, `++a.b=1`, `~a.b` and `a.b=1` all set `a.b`.</summary>
    static string Key(string o) => o.Split('=', 2)[0].TrimStart('+', '~');
}
