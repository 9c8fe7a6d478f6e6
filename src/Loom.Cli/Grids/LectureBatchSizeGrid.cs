using Loom.Grids;

namespace Loom.Cli.Grids;

/// <summary>
/// The lecture's claim 2 ("no magic"): larger batches pay only up to a plateau. Batch size 16 … 1024 for the same
/// 3 epochs, with the learning rate kept (SGD 0.1) or scaled linearly from batch 32; the throughput
/// (`samples_per_second`) and the accuracy reached show where larger batches stop paying. MLP on 10,000 samples
/// (14 XPs). Figures: `loom plot lecture_batch_size --metric 'test.accuracy vs batch_size per optim.scale_lr'`
/// and `--metric 'samples_per_second vs batch_size per optim.scale_lr'`.
/// </summary>
public class LectureBatchSizeGrid : Grid
{
    public override string Description => "claim 2: batch_size {16..1024} x optim.scale_lr {none, linear}, MLP (14 XPs)";

    public override IReadOnlyList<string>? Metrics => ["train.loss", "test.accuracy"];

    protected virtual int[] BatchSizes => [16, 32, 64, 128, 256, 512, 1024];

    protected virtual string[] Size => ["data.limit=10000", "epochs=3"];

    public override void Explore(Launcher launcher)
    {
        // No model is selected (the claim reads the last epoch), so nothing is held out: the whole training set, as measured in docs/lecture.md.
        launcher.Bind_("model=mlp", "optim.reference_batch_size=32", "data.valid_fraction=0", "threads=1", "progress=plain");
        launcher.Bind_(Size);
        foreach (var rule in new[] { "none", "linear" })
            foreach (var batch in BatchSizes)
                launcher.Launch($"batch_size={batch}", $"optim.scale_lr={rule}");
    }
}
