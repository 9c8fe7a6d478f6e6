using System.Globalization;
using Loom.Grids;

namespace Loom.Cli.Grids;

/// <summary>
/// The lecture's claim 6: weight norm separates each unit's scale from its direction, which limits how fast the
/// output scale can move — so at a learning rate where plain Adam's loss blows up, the weight-normed model's
/// should not. Adam at lr 1e-3 … 3e-2, with and without `model.weight_norm`, MLP on 10,000 samples, 5 epochs
/// (8 XPs). Figure: `loom plot lecture_weight_norm --metric 'train.loss vs optim.lr per model.weight_norm'`.
/// </summary>
public class LectureWeightNormGrid : Grid
{
    public override string Description => "claim 6: optim.lr {1e-3..3e-2} x model.weight_norm {false, true}, Adam, MLP (8 XPs)";

    public override IReadOnlyList<string>? Metrics => ["train.loss", "test.accuracy"];

    protected virtual double[] Lrs => [1e-3, 3e-3, 1e-2, 3e-2];

    protected virtual string[] Size => ["data.limit=10000", "epochs=5"];

    public override void Explore(Launcher launcher)
    {
        launcher.Bind_("model=mlp", "optim=adam", "threads=1", "progress=plain");
        launcher.Bind_(Size);
        foreach (var weightNorm in new[] { false, true })
            foreach (var lr in Lrs)
                launcher.Launch($"model.weight_norm={(weightNorm ? "true" : "false")}", "optim.lr=" + lr.ToString("R", CultureInfo.InvariantCulture));
    }
}
