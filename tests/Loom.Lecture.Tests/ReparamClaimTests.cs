using Loom.Reporting;

namespace Loom.Lecture.Tests;

/// <summary>
/// Claim 1 ("How to mess up with SGD"), through the real `loom grid` on the local scheduler: SGD on G(y) = F(λ·y)
/// is SGD on F with lr γλ², so its result swings with λ (no learning to divergence) while Adagrad and Adam, whose
/// steps scale with λ and not λ², stay within 2× over λ ∈ [0.1, 10]; and the equivalence itself, run for run.
/// </summary>
public sealed class ReparamClaimTests
{
    [Fact]
    public void SgdSwingsFromNoLearningToDivergenceWhileAdagradAndAdamStayWithinTwoFold()
    {
        using var loom = new LoomRun();
        var data = loom.Grid("lecture_reparam_quick");
        Assert.Equal(12, data.Xps.Count);
        double Loss(string optim, double lambda) => FinalTrainLoss(data, optim, lambda);

        // SGD: λ = 10 is lr × 100 = 10, which diverges; λ = 0.1 is lr × 0.01, which barely moves in 2 epochs.
        var diverged = Xp(data, "sgd", 10);
        Assert.Equal("FAILED", diverged.State);
        Assert.Null(diverged.Final["train.loss"]);
        Assert.True(Loss("sgd", 0.1) > 2 * Loss("sgd", 1), $"SGD λ=0.1: {Loss("sgd", 0.1):F3} vs λ=1: {Loss("sgd", 1):F3}");
        Assert.True(Loss("sgd", 0.01) > 0.95 * Math.Log(10), $"SGD λ=0.01 should not learn (chance is ln 10): {Loss("sgd", 0.01):F3}");
        // Counting the diverged run as infinite, SGD's final losses over λ span more than 10×; Adam's and Adagrad's do not.
        foreach (var optim in new[] { "adagrad", "adam" })
        {
            var losses = new[] { 0.1, 1, 10 }.Select(l => Loss(optim, l)).ToList();
            Assert.True(losses.Max() < 2 * losses.Min(), $"{optim} over λ ∈ [0.1, 10]: {string.Join(", ", losses.Select(l => l.ToString("F3")))}");
        }
    }

    [Fact]
    public void SgdWithLambdaAndLrIsSgdWithLrTimesLambdaSquared()
    {
        using var loom = new LoomRun();
        var data = loom.Grid("lecture_reparam_equivalence");
        var reference = Xp(data, "sgd", 1);
        foreach (var lambda in new[] { 4.0, 0.5 })
        {
            // Powers of two: λ·y, λ·∂F/∂w and γλ² are exact in floating point, so the runs are the same bit for bit.
            var xp = Xp(data, "sgd", lambda);
            foreach (var (metric, values) in reference.Curves)
                if (metric.StartsWith("train.") || metric.StartsWith("test."))
                    Assert.Equal(values, xp.Curves[metric]);
        }
        // λ = 10: the same up to rounding, which chaotic training amplifies: measured 1.3e-8 after epoch 1, 1.4e-3 after 3.
        var ten = Xp(data, "sgd", 10);
        foreach (var metric in new[] { "train.loss", "test.loss" })
            for (int e = 0; e < 3; e++)
            {
                double a = reference.Curves[metric][e]!.Value, b = ten.Curves[metric][e]!.Value;
                Assert.True(Math.Abs(a - b) < 1e-2 * a, $"{metric} epoch {e + 1}: {a} vs {b}");
            }
        Assert.True(Math.Abs(reference.Curves["train.loss"][0]!.Value - ten.Curves["train.loss"][0]!.Value) < 1e-6);
    }

    [Fact]
    public void TheSweepFigureIsDrawnByLoomPlot()
    {
        using var loom = new LoomRun();
        loom.Grid("lecture_reparam_equivalence");
        string png = Path.Combine(loom.Dir, "sweep.png");
        var r = loom.Run(["plot", "lecture_reparam_equivalence", "--outputs", loom.Outputs, "--metric", "train.loss vs model.reparam_lambda per optim.lr", "-o", png]);
        Assert.True(r.Code == 0, r.Err);
        Assert.True(new FileInfo(png).Length > 10_000, "a drawn figure, not an empty image");
        var bad = loom.Run(["plot", "lecture_reparam_equivalence", "--outputs", loom.Outputs, "--metric", "train.loss vs model.nope", "-o", png + "2.png"]);
        Assert.Equal(2, bad.Code);
        Assert.Contains("model.nope", bad.Err);
        Assert.False(File.Exists(png + "2.png"));
    }

    static ReportXp Xp(ReportData data, string optim, double lambda) =>
        data.Xps.Single(x => Optim(x) == optim && Lambda(x) == lambda);

    static double FinalTrainLoss(ReportData data, string optim, double lambda) =>
        Xp(data, optim, lambda).Final["train.loss"] ?? throw new InvalidOperationException($"{optim} λ={lambda} has no final train loss");

    static string Optim(ReportXp x) => x.Params.TryGetValue("optim", out var o) && o is string s ? s : "sgd";
    static double Lambda(ReportXp x) => x.Params.TryGetValue("model.reparam_lambda", out var l) && l is double d ? d : 1;
}
