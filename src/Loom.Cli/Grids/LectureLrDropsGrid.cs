using Loom.Grids;

namespace Loom.Cli.Grids;

/// <summary>
/// The lecture's claim 3 (He et al.'s ResNet curves): with a step schedule that divides the learning rate by 10
/// twice, the training and validation losses drop sharply right after each decay; at a constant learning rate
/// they do not. The small CNN, SGD lr 0.1, on 10,000 samples with a 10 % validation split, 9 epochs, decays
/// after epochs 3 and 6. Figure: `loom plot lecture_lr_drops --metric train.loss,valid.loss` (train thin, valid bold).
/// </summary>
public class LectureLrDropsGrid : Grid
{
    public override string Description => "claim 3: multistep schedule (two 10x drops) vs constant LR, train and valid curves (2 XPs)";

    public override IReadOnlyList<string>? Metrics => ["train.loss", "valid.loss", "valid.accuracy"];

    /// <summary>Model, data and epochs; the schedule's milestones must fall inside the epochs.</summary>
    protected virtual string[] Size => ["model=cnn", "data.limit=10000", "epochs=9"];

    /// <summary>The epochs after which the LR is divided by 10.</summary>
    protected virtual string Milestones => "[3,6]";

    public override void Explore(Launcher launcher)
    {
        launcher.Bind_(Size);
        launcher.Bind_("data.valid_fraction=0.1", "threads=1", "progress=plain");
        launcher.Launch("schedule=none");
        launcher.Launch("schedule=multistep", $"schedule.milestones={Milestones}", "schedule.gamma=0.1");
    }
}
