using Loom.Grids;

/// <summary>1,000 distinct tiny XPs (learning rate × seed): the benchmark's grid, loaded by `loom --grids`.</summary>
public sealed class ThousandGrid : Grid
{
    public override void Explore(Launcher launcher)
    {
        launcher.Bind_("model=mlp", "data.limit=200", "epochs=1", "threads=1");
        for (int lr = 1; lr <= 100; lr++)
            for (int seed = 0; seed < 10; seed++)
                launcher.Launch($"optim.lr={lr / 1000.0}", $"seed={seed}");
    }
}
