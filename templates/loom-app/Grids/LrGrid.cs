using Loom.Grids;

namespace LoomApp1.Grids;

/// <summary>`LoomApp1 grid lr`: the learning rate of AdamW × the model's width, one short epoch each.</summary>
public sealed class LrGrid : Grid
{
    public override string Description => "optim.lr {3e-3, 1e-3} x model.dim {32, 64}, 1 epoch on 20k characters";

    /// <summary>The table's columns (default: every split.metric of the histories).</summary>
    public override IReadOnlyList<string> Metrics => ["train.loss", "valid.loss", "valid.accuracy", "valid.perplexity"];

    public override void Explore(Launcher launcher)
    {
        launcher.Bind_("epochs=1", "data.limit=20000", "threads=1");
        foreach (var lr in new[] { 3e-3, 1e-3 })
            foreach (var dim in new[] { 32, 64 })
                launcher.Launch($"optim.lr={lr}", $"model.dim={dim}");
    }
}
