using Loom.Cli.Grids;

namespace Loom.Lecture.Tests.Grids;

/// <summary>The test-sized <see cref="LectureLrDropsGrid"/>: the MLP on 3,000 samples, 6 epochs, decays after epochs 2 and 4.</summary>
public sealed class LectureLrDropsQuickGrid : LectureLrDropsGrid
{
    public override string Description => "claim 3, test size: multistep (drops after epochs 2, 4) vs constant LR, MLP (2 XPs)";

    protected override string[] Size => ["model=mlp", "data.limit=3000", "epochs=6"];

    protected override string Milestones => "[2,4]";
}
