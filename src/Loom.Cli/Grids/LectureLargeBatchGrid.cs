using Loom.Grids;

namespace Loom.Cli.Grids;

/// <summary>
/// The lecture's claim 4 (Goyal et al.): at K times the base batch (32, SGD lr 0.1) for the same number of epochs,
/// the learning rate scaled by nothing, by K (linear), by √K, or by K with a linear warm-up over the first epoch —
/// which recovers the base batch's accuracy? K = 4 and 8 (batch 128 and 256), MLP on 10,000 samples, 5 epochs
/// (9 XPs). Figure: `loom plot lecture_large_batch --metric test.accuracy`.
/// </summary>
public class LectureLargeBatchGrid : Grid
{
    public override string Description => "claim 4: batch 32 vs 4x and 8x the batch with optim.scale_lr {none, linear, sqrt, linear + warm-up}";

    public override IReadOnlyList<string>? Metrics => ["train.loss", "test.accuracy"];

    /// <summary>The large batches (K × 32).</summary>
    protected virtual int[] LargeBatches => [128, 256];

    protected virtual string[] Size => ["data.limit=10000", "epochs=5"];

    public override void Explore(Launcher launcher)
    {
        launcher.Bind_("model=mlp", "optim.reference_batch_size=32", "threads=1", "progress=plain");
        launcher.Bind_(Size);
        launcher.Launch("batch_size=32");
        foreach (var batch in LargeBatches)
        {
            var large = launcher.Bind($"batch_size={batch}");
            large.Launch("optim.scale_lr=none");
            large.Launch("optim.scale_lr=linear");
            large.Launch("optim.scale_lr=sqrt");
            large.Launch("optim.scale_lr=linear", "schedule.warmup_epochs=1");
        }
    }
}
