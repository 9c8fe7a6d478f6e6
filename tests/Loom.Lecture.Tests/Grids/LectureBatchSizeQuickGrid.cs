using Loom.Cli.Grids;

namespace Loom.Lecture.Tests.Grids;

/// <summary>The test-sized <see cref="LectureBatchSizeGrid"/>: batch size {32, 256, 1024} on 4,000 samples, 2 epochs (6 XPs).</summary>
public sealed class LectureBatchSizeQuickGrid : LectureBatchSizeGrid
{
    public override string Description => "claim 2, test size: batch_size {32, 256, 1024} x optim.scale_lr {none, linear} (6 XPs)";

    protected override int[] BatchSizes => [32, 256, 1024];

    protected override string[] Size => ["data.limit=4000", "epochs=2"];
}
