using Loom.Cli.Grids;

namespace Loom.Lecture.Tests.Grids;

/// <summary>The test-sized <see cref="LectureLargeBatchGrid"/>: K = 4 only (batch 128), 4,000 samples, 3 epochs (5 XPs).</summary>
public sealed class LectureLargeBatchQuickGrid : LectureLargeBatchGrid
{
    public override string Description => "claim 4, test size: batch 32 vs 128 with each scaling rule (5 XPs)";

    protected override int[] LargeBatches => [128];

    protected override string[] Size => ["data.limit=4000", "epochs=3"];
}
