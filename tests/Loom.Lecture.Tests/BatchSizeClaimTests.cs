using Loom.Reporting;

namespace Loom.Lecture.Tests;

/// <summary>
/// Claims 2 and 4 (batch size: no magic; Goyal et al.'s scaling rules), test-sized: with the same epochs, a larger
/// batch without a rule learns less; the linear rule breaks down once the scaled learning rate passes SGD's
/// stability limit; and at K = 4 no rule recovers the base batch in 3 epochs at this scale (docs/lecture.md says so).
/// </summary>
public sealed class BatchSizeClaimTests
{
    [Fact]
    public void LargerBatchesLearnLessForTheSameEpochsAndTheLinearRuleBreaksDown()
    {
        using var loom = new LoomRun();
        var data = loom.Grid("lecture_batch_size_quick");
        ReportXp Xp(int batch, string rule) => data.Xps.Single(x => Batch(x) == batch && Rule(x) == rule);
        double Accuracy(int batch) => Xp(batch, "none").Final["test.accuracy"]!.Value;
        // Measured: 77.2 %, 68.6 %, 53.7 % for batch 32, 256, 1024 (2 epochs on 4,000 samples).
        Assert.True(Accuracy(32) > Accuracy(256) + 0.04 && Accuracy(256) > Accuracy(1024) + 0.04,
            $"test accuracy by batch size: 32 → {Accuracy(32):P1}, 256 → {Accuracy(256):P1}, 1024 → {Accuracy(1024):P1}");
        // Linear scaling to batch 1024 asks for lr 0.1 × 32 = 3.2: SGD on this MLP diverges (measured: above ~0.9).
        Assert.Equal("FAILED", Xp(1024, "linear").State);
    }

    [Fact]
    public void AtFourTimesTheBatchNoRuleRecoversTheBaseBatchHere()
    {
        using var loom = new LoomRun();
        var data = loom.Grid("lecture_large_batch_quick");
        var baseline = data.Xps.Single(x => Batch(x) == 32).Final["train.loss"]!.Value;
        var large = data.Xps.Where(x => Batch(x) == 128).ToList();
        Assert.Equal(4, large.Count);
        var unscaled = large.Single(x => Rule(x) == "none").Final["train.loss"]!.Value;
        Assert.True(unscaled > 1.2 * baseline, $"batch 128 at lr 0.1: {unscaled:F3} vs batch 32: {baseline:F3}");
        foreach (var xp in large)
            Assert.True(xp.Final["train.loss"] > baseline, $"{xp.Name}: {xp.Final["train.loss"]:F3} vs batch 32: {baseline:F3}");
    }

    static int Batch(ReportXp x) => x.Params.TryGetValue("batch_size", out var b) && b is double d ? (int)d : 32;
    static string Rule(ReportXp x) => x.Params.TryGetValue("optim.scale_lr", out var r) && r is string s ? s : "none";
}
