using Loom.Cli.Grids;

namespace Loom.Lecture.Tests.Grids;

/// <summary>The test-sized <see cref="LectureReparamGrid"/>: λ ∈ {0.01, 0.1, 1, 10} on 2,000 samples, 2 epochs (12 XPs, under a minute).</summary>
public sealed class LectureReparamQuickGrid : LectureReparamGrid
{
    public override string Description => "claim 1, test size: model.reparam_lambda {0.01,0.1,1,10} x optim {sgd,adagrad,adam} (12 XPs)";

    protected override double[] Lambdas => [0.01, 0.1, 1, 10];

    protected override string[] Size => ["data.limit=2000", "epochs=2"];
}
