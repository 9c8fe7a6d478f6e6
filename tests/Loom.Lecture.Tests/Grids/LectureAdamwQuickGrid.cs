using Loom.Cli.Grids;

namespace Loom.Lecture.Tests.Grids;

/// <summary>The test-sized <see cref="LectureAdamwGrid"/>: weight decay {1e-3, 1e-1} on 2,000 samples, 2 epochs (4 XPs).</summary>
public sealed class LectureAdamwQuickGrid : LectureAdamwGrid
{
    public override string Description => "claim 5, test size: optim {adam, adamw} x optim.weight_decay {1e-3, 1e-1} (4 XPs)";

    protected override double[] Decays => [1e-3, 1e-1];

    protected override string[] Size => ["data.limit=2000", "epochs=2"];
}
