using Loom.Grids;

namespace Loom.Cli.Grids;

/// <summary>A tiny grid for tests and for checking a setup: two MLPs on 200 samples, one epoch, one thread each.</summary>
public sealed class SmokeGrid : Grid
{
    public override string Description => "2 tiny MLP runs (seconds)";

    public override void Explore(Launcher launcher)
    {
        launcher.Bind_("model=mlp", "data.limit=200", "epochs=1", "threads=1", "progress=plain");
        launcher.Launch("optim.lr=0.1");
        launcher.Launch("optim.lr=0.01");
        launcher.Launch("optim.lr=0.01"); // a duplicate: a grid holds it once
    }
}
