using System.Globalization;
using Loom.Grids;

namespace Loom.Cli.Grids;

/// <summary>
/// The lecture's claim 5 (Loshchilov &amp; Hutter): the same weight decay value given to Adam (an L2 term added to
/// the gradient, then divided by Adam's running scale) and to AdamW (decoupled: w ← w − lr·wd·w) does not do the
/// same thing. MLP, lr 1e-3, weight decay from 1e-4 to 1. Figure:
/// `loom plot lecture_adamw --metric 'test.accuracy vs optim.weight_decay per optim'`.
/// </summary>
public class LectureAdamwGrid : Grid
{
    public override string Description => "claim 5: optim {adam (L2), adamw (decoupled)} x optim.weight_decay {1e-4..1}, MLP";

    public override IReadOnlyList<string>? Metrics => ["train.loss", "test.loss", "test.accuracy"];

    protected virtual double[] Decays => [1e-4, 1e-3, 1e-2, 1e-1, 1];

    protected virtual string[] Size => ["data.limit=10000", "epochs=5"];

    public override void Explore(Launcher launcher)
    {
        launcher.Bind_("model=mlp", "threads=1", "progress=plain");
        launcher.Bind_(Size);
        foreach (var optim in new[] { "adam", "adamw" })
        {
            var sub = launcher.Bind($"optim={optim}", "optim.lr=1e-3");
            foreach (var decay in Decays)
                sub.Launch("optim.weight_decay=" + decay.ToString("R", CultureInfo.InvariantCulture));
        }
    }
}
