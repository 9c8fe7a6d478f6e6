using System.Text.Json.Nodes;
using Loom.Optim.Schedules;
using Loom.Training;

namespace Loom.Optim.Tests;

/// <summary>Every schedule's LR over 30 epochs, with and without warm-up, matches PyTorch 1.13's schedulers.</summary>
public class ScheduleParityTests
{
    static readonly JsonObject Fixtures = Fixture.Load("schedules.json");

    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        var cases = Fixtures["cases"]!.AsArray();
        for (int i = 0; i < cases.Count; i++) data.Add(i, cases[i]!["settings"]!.ToJsonString());
        return data;
    }

    public static ScheduleSettings Settings(JsonObject s)
    {
        string name = s["name"]!.GetValue<string>();
        double gamma = s["gamma"]?.GetValue<double>() ?? 0.1;
        object options = name switch
        {
            "none" => new ConstantLrOptions(),
            "step" => new StepLrOptions { StepSize = s["step_size"]?.GetValue<int>() ?? 30, Gamma = gamma },
            "multistep" => new MultiStepLrOptions { Milestones = s["milestones"]?.AsArray().Select(m => m!.GetValue<int>()).ToArray() ?? [], Gamma = gamma },
            "exponential" => new ExponentialLrOptions { Gamma = gamma },
            "cosine" => new CosineAnnealingLrOptions { TMax = s["t_max"]?.GetValue<int>(), EtaMin = s["eta_min"]?.GetValue<double>() ?? 0 },
            "plateau" => new ReduceLrOnPlateauOptions
            {
                Factor = s["factor"]?.GetValue<double>() ?? 0.1,
                Patience = s["patience"]?.GetValue<int>() ?? 10,
                Threshold = s["threshold"]?.GetValue<double>() ?? 1e-4,
                ThresholdMode = s["threshold_mode"]?.GetValue<string>() ?? "rel",
                Cooldown = s["cooldown"]?.GetValue<int>() ?? 0,
                MinLr = s["min_lr"]?.GetValue<double>() ?? 0,
            },
            _ => throw new ArgumentException($"fixture schedule {name}"),
        };
        return new ScheduleSettings
        {
            Name = name,
            WarmupEpochs = s["warmup_epochs"]?.GetValue<int>() ?? 0,
            WarmupSteps = s["warmup_steps"]?.GetValue<int>() ?? 0,
            WarmupStartFactor = s["warmup_start_factor"]?.GetValue<double>() ?? 0.1,
        }.WithOptions(options);
    }

    static LrController Controller(JsonNode c, int epochs = 30) =>
        LrController.Create(Settings(c["settings"]!.AsObject()), new OptimSettings { Lr = c["base_lr"]!.GetValue<double>() },
            batchSize: 32, epochs, maximize: false);

    static void AssertLr(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-9 * Math.Abs(expected) + 1e-15, $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThirtyEpochsMatchPyTorch(int index, string label)
    {
        var c = Fixtures["cases"]![index]!;
        var metrics = Fixtures["metrics"]!.AsArray().Select(m => m!.GetValue<double>()).ToArray();
        var expected = c["lrs"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var lr = Controller(c);
        for (int epoch = 0; epoch < 30; epoch++)
        {
            AssertLr(expected[epoch], lr.At(epoch), $"{label} epoch {epoch}");
            lr.EpochEnded(metrics[epoch]);
        }
    }

    [Fact]
    public void PerStepWarmupMatchesPyTorch()
    {
        var c = Fixtures["per_step"]!;
        int stepsPerEpoch = c["steps_per_epoch"]!.GetValue<int>();
        var expected = c["lrs"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var lr = Controller(c);
        for (int i = 0; i < expected.Length; i++)
        {
            AssertLr(expected[i], lr.At(i / stepsPerEpoch), $"step {i}");
            lr.Stepped();
        }
    }

    [Fact]
    public void RestoredControllerContinuesIdentically()
    {
        // The plateau schedule with warm-up has the most state: stop after every epoch, restore into a fresh one.
        var c = Fixtures["cases"]!.AsArray().First(x => x!["settings"]!["name"]!.GetValue<string>() == "plateau" && x["settings"]!["warmup_epochs"] is not null)!;
        var metrics = Fixtures["metrics"]!.AsArray().Select(m => m!.GetValue<double>()).ToArray();
        var expected = c["lrs"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var lr = Controller(c);
        for (int epoch = 0; epoch < 30; epoch++)
        {
            AssertLr(expected[epoch], lr.At(epoch), $"epoch {epoch}");
            lr.EpochEnded(metrics[epoch]);
            lr.Stepped();
            var json = JsonNode.Parse(lr.State().ToJsonString())!.AsObject();
            lr = Controller(c);
            lr.Restore(json);
        }
        Assert.Equal(30, lr.Steps);
    }

    [Theory]
    [InlineData("none", 1024, 0.1)]
    [InlineData("linear", 1024, 0.4)]
    [InlineData("linear", 64, 0.025)]
    [InlineData("sqrt", 1024, 0.2)]
    public void ScalingRuleUsesTheEffectiveBatch(string rule, int effectiveBatch, double expected)
    {
        // Effective batch = batch_size × accumulate: 256 × 4 = 1024, or 32 × 2 = 64.
        var optim = new OptimSettings { Lr = 0.1, ScaleLr = rule, ReferenceBatchSize = 256, Accumulate = effectiveBatch == 64 ? 2 : 4 };
        var lr = LrController.Create(new ScheduleSettings(), optim, effectiveBatch == 64 ? 32 : 256, 10, false);
        AssertLr(expected, lr.At(0), rule);
    }

    [Fact]
    public void PlateauOnAccuracyMaximizes()
    {
        var s = new ScheduleSettings { Name = "plateau" }.WithOptions(new ReduceLrOnPlateauOptions { Patience = 0, Factor = 0.5 });
        var rising = LrController.Create(s, new OptimSettings { Lr = 1 }, 32, 10, maximize: true);
        foreach (var acc in new[] { 0.5, 0.6, 0.7 }) rising.EpochEnded(acc);
        Assert.Equal(1.0, rising.At(3));
        rising.EpochEnded(0.7);
        Assert.Equal(0.5, rising.At(4));
    }
}
