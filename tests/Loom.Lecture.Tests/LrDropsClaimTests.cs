using Loom.Reporting;

namespace Loom.Lecture.Tests;

/// <summary>Claim 3 (He et al.): the loss drops sharply right after each 10× decay of the learning rate, and not at a constant one.</summary>
public sealed class LrDropsClaimTests
{
    [Fact]
    public void TheTrainingLossDropsRightAfterEachTenfoldDecay()
    {
        using var loom = new LoomRun();
        var data = loom.Grid("lecture_lr_drops_quick");
        var step = data.Xps.Single(x => (string?)x.Params["schedule"] == "multistep");
        var constant = data.Xps.Single(x => (string?)x.Params["schedule"] == "none");
        // The schedule did what it says: 0.1, then 0.01 from epoch 3, then 0.001 from epoch 5.
        Assert.Equal([0.1, 0.1, 0.01, 0.01, 0.001, 0.001], step.Curves["lr"].Select(v => Math.Round(v!.Value, 6)));
        Assert.All(constant.Curves["lr"], v => Assert.Equal(0.1, v!.Value, 9));

        // The first decay (after epoch 2): the step run's train loss falls by more in epoch 3 than the constant run's.
        var s = step.Curves["train.loss"].Select(v => v!.Value).ToList();
        var c = constant.Curves["train.loss"].Select(v => v!.Value).ToList();
        double dropStep = s[1] - s[2], dropConstant = c[1] - c[2];
        Assert.True(dropStep > 1.25 * dropConstant, $"train loss epoch 2 → 3: step schedule {s[1]:F4} → {s[2]:F4}, constant {c[1]:F4} → {c[2]:F4}");
        // On held-out data: after the first decay the step run's valid loss only goes down (measured 0.656, 0.650,
        // 0.638, 0.634), while the constant run's jumps around (0.843, 0.726, 1.347, 0.667) and ends higher.
        var sv = step.Curves["valid.loss"].Select(v => v!.Value).ToList();
        var cv = constant.Curves["valid.loss"].Select(v => v!.Value).ToList();
        for (int e = 3; e < sv.Count; e++) Assert.True(sv[e] <= sv[e - 1], $"step run, valid loss rose at epoch {e + 1}: {sv[e - 1]:F4} → {sv[e]:F4}");
        Assert.True(sv[^1] < cv[^1], $"final valid loss: step {sv[^1]:F4}, constant {cv[^1]:F4}");
    }
}
