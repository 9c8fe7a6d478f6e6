using Loom.Grids;

namespace Loom.Cli.Grids;

/// <summary>
/// One tiny data-parallel XP on 2 Slurm nodes × 1 task (Open MPI over TCP between the nodes): checks a multi-node
/// setup in seconds. Try it on one machine with `scripts/slurm-cluster.sh start DIR --nodes 2` (docs/slurm.md).
/// </summary>
public sealed class MultinodeSmokeGrid : Grid
{
    public override string Description => "1 tiny MLP on 2 nodes x 1 task (Slurm, seconds)";

    /// <summary>The XP's overrides: a 1-process `loom train` with them trains the same (the tests compare the two).</summary>
    public static readonly string[] Overrides = ["model=mlp", "model.hidden=32", "data.limit=400", "epochs=2", "threads=1", "progress=plain"];

    public override void Explore(Launcher launcher) => launcher.Slurm(nodes: 2, tasksPerNode: 1, cpus: 1).Launch(Overrides);
}
