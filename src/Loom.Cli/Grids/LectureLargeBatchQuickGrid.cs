namespace Loom.Cli.Grids;

/// <summary>The test-sized <see cref="LectureLargeBatchGrid"/>: 4,000 samples, 3 epochs (5 XPs).</summary>
public sealed class LectureLargeBatchQuickGrid : LectureLargeBatchGrid
{
    public override string Description => "claim 4, test size: batch 32 vs 256 with each scaling rule (5 XPs)";

    protected override string[] Size => ["data.limit=4000", "epochs=3"];
}
