using Loom.Grids;

namespace Loom.Cli.Grids;

/// <summary>
/// The lecture's claim 4 (Goyal et al.): at K = 8 times the base batch (256 instead of 32), the same number of
/// epochs, and the learning rate of the base batch (SGD 0.1) scaled by nothing, by K (linear), by √K, or by K
/// with a linear warm-up over the first epoch — which recovers the base batch's accuracy? MLP on 10,000
/// samples, 5 epochs (5 XPs). Figure: `loom plot lecture_large_batch --metric test.accuracy`.
/// </summary>
public class LectureLargeBatchGrid : Grid
{
    public override string Description => "claim 4: batch 32 vs batch 256 with optim.scale_lr {none, linear, sqrt, linear + warm-up} (5 XPs)";

    public override IReadOnlyList<string>? Metrics => ["train.loss", "test.accuracy"];

    protected virtual string[] Size => ["data.limit=10000", "epochs=5"];

    public override void Explore(Launcher launcher)
    {
        launcher.Bind_("model=mlp", "optim.reference_batch_size=32", "threads=1", "progress=plain");
        launcher.Bind_(Size);
        launcher.Launch("batch_size=32");
        var large = launcher.Bind("batch_size=256");
        large.Launch("optim.scale_lr=none");
        large.Launch("optim.scale_lr=linear");
        large.Launch("optim.scale_lr=sqrt");
        large.Launch("optim.scale_lr=linear", "schedule.warmup_epochs=1");
    }
}
