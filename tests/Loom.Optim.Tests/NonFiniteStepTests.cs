using Loom.Optim.Schedules;
using Loom.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Optim.Tests;

/// <summary>A step whose loss is NaN or infinite is never applied: `optim.nonfinite=stop` throws at it, `skip` leaves it out and counts it.</summary>
public class NonFiniteStepTests
{
    static (TorchSharp.Modules.Linear Model, GradientStepper Stepper) Setup(OptimSettings s)
    {
        manual_seed(5);
        var model = nn.Linear(4, 3);
        var parameters = model.parameters().ToList();
        var stepper = new GradientStepper(OptimizerFactory.Create(s, parameters), parameters, s, new LrController(new ConstantLr(s.Lr), new LinearWarmup(0, 1, false)));
        return (model, stepper);
    }

    static Tensor Loss(TorchSharp.Modules.Linear model, double scale) => model.forward(ones(2, 4)).sum() * scale;

    [Fact]
    public void StopThrowsAtTheStepWithoutApplyingIt()
    {
        var (model, stepper) = Setup(new OptimSettings { Lr = 0.1 });
        stepper.BeginEpoch(1, 5);
        stepper.Backward(Loss(model, 1));
        var before = model.weight.clone();
        var e = Assert.Throws<DivergedException>(() => stepper.Backward(Loss(model, double.NaN)));
        Assert.StartsWith("epoch 2, step 2: the training loss is NaN", e.Message);
        Assert.True(before.eq(model.weight).all().item<bool>(), "the NaN step changed the weights");
    }

    [Fact]
    public void SkipLeavesTheStepOutCountsItAndStopsPastTheLimit()
    {
        var warnings = new List<string>();
        var s = new OptimSettings { Lr = 0.1, Nonfinite = "skip", MaxSkips = 1 };
        var (model, stepper) = Setup(s);
        stepper.BeginEpoch(0, 5);
        var before = model.weight.clone();
        Assert.Equal(double.PositiveInfinity, stepper.Backward(Loss(model, double.PositiveInfinity)));
        Assert.True(before.eq(model.weight).all().item<bool>(), "the skipped step changed the weights");
        Assert.Equal(1, stepper.SkippedSteps);
        stepper.Backward(Loss(model, 1));
        Assert.False(before.eq(model.weight).all().item<bool>(), "a finite step after a skipped one must apply");
        Assert.True(model.weight.isfinite().all().item<bool>());
        var e = Assert.Throws<DivergedException>(() => stepper.Backward(Loss(model, double.NaN)));
        Assert.Contains("epoch 1, step 3: the training loss is NaN, more than optim.max_skips=1", e.Message);
        stepper.BeginEpoch(1, 5);
        Assert.Equal(0, stepper.SkippedSteps); // counted per epoch
    }
}
