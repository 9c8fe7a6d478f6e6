using System.Globalization;
using Loom.Grids;

namespace Loom.Cli.Grids;

/// <summary>
/// The lecture's claim 1 ("How to mess up with SGD"): train G(y) = F(λ·y) — every Linear weight and bias of the
/// MLP stored as y = w / λ (`model.reparam_lambda`) — with SGD, Adagrad and Adam at their default learning
/// rates, over λ from 0.01 to 100. SGD on y is SGD on w with lr × λ²: tiny λ does not learn, large λ diverges.
/// Weight decay is off: decay on y is not decay on w, and would break the equivalence. Figure:
/// `loom plot lecture_reparam --metric 'train.loss vs model.reparam_lambda per optim'` (docs/lecture.md).
/// </summary>
public class LectureReparamGrid : Grid
{
    public override string Description => "claim 1: model.reparam_lambda {0.01..100} x optim {sgd,adagrad,adam}, MLP (27 XPs, ~3 min)";

    public override IReadOnlyList<string>? Metrics => ["train.loss", "test.accuracy"];

    /// <summary>The λ values (the figure's x axis).</summary>
    protected virtual double[] Lambdas => [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100];

    /// <summary>How much data and how many epochs each XP trains on.</summary>
    protected virtual string[] Size => ["data.limit=10000", "epochs=5"];

    public override void Explore(Launcher launcher)
    {
        launcher.Bind_("model=mlp", "threads=1", "progress=plain");
        launcher.Bind_(Size);
        foreach (var optim in new[] { "sgd", "adagrad", "adam" })
        {
            var sub = launcher.Bind($"optim={optim}", "optim.weight_decay=0");
            foreach (var lambda in Lambdas)
                sub.Launch("model.reparam_lambda=" + lambda.ToString("R", CultureInfo.InvariantCulture));
        }
    }
}
