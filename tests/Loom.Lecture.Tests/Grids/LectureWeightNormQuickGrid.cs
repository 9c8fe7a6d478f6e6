using Loom.Cli.Grids;

namespace Loom.Lecture.Tests.Grids;

/// <summary>The test-sized <see cref="LectureWeightNormGrid"/>: lr {1e-3, 3e-2} on 3,000 samples, 3 epochs (4 XPs).</summary>
public sealed class LectureWeightNormQuickGrid : LectureWeightNormGrid
{
    public override string Description => "claim 6, test size: optim.lr {1e-3, 3e-2} x model.weight_norm {false, true} (4 XPs)";

    protected override double[] Lrs => [1e-3, 3e-2];

    protected override string[] Size => ["data.limit=3000", "epochs=3"];
}
