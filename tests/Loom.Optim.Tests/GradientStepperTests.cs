using Loom.Optim.Schedules;
using Loom.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Optim.Tests;

/// <summary>Accumulation gives the mean gradient of its group; clipping bounds what the step sees.</summary>
public class GradientStepperTests
{
    static (TorchSharp.Modules.Linear Model, Tensor X, Tensor Y) Problem()
    {
        manual_seed(5);
        return (nn.Linear(4, 3), randn(12, 4), randint(0, 3, 12));
    }

    static Tensor Loss(TorchSharp.Modules.Linear model, Tensor x, Tensor y) => nn.functional.cross_entropy(model.forward(x), y);

    static GradientStepper Stepper(TorchSharp.Modules.Linear model, OptimSettings s, out TorchSharp.Modules.OptimizerHelper optimizer)
    {
        var parameters = model.parameters().ToList();
        optimizer = OptimizerFactory.Create(s, parameters);
        return new GradientStepper(optimizer, parameters, s, new LrController(new ConstantLr(s.Lr), new LinearWarmup(0, 1, false)));
    }

    [Fact]
    public void AccumulatingThreeBatchesEqualsOneBatchOfAll()
    {
        var (big, x, y) = Problem();
        var stepper = Stepper(big, new OptimSettings { Lr = 0.5 }, out _);
        stepper.BeginEpoch(0, 1);
        stepper.Backward(Loss(big, x, y));

        var (small, _, _) = Problem();
        var accumulating = Stepper(small, new OptimSettings { Lr = 0.5, Accumulate = 3 }, out _);
        accumulating.BeginEpoch(0, 3);
        for (int i = 0; i < 3; i++) accumulating.Backward(Loss(small, x[(4 * i)..(4 * i + 4)], y[(4 * i)..(4 * i + 4)]));

        Fixture.Close(Fixture.Data(big.weight), Fixture.Data(small.weight), 1e-6, 1e-7, "weight");
        Fixture.Close(Fixture.Data(big.bias!), Fixture.Data(small.bias!), 1e-6, 1e-7, "bias");
    }

    [Fact]
    public void EachStepSeesOnlyItsOwnBatchsGradient()
    {
        var (model, x, y) = Problem();
        var stepper = Stepper(model, new OptimSettings { Lr = 0.5 }, out _);
        stepper.BeginEpoch(0, 2);
        stepper.Backward(Loss(model, x[..6], y[..6]));
        Assert.NotNull(model.weight.grad); // the step's gradient stays readable until the next batch (as for a callback)
        stepper.Backward(Loss(model, x[6..], y[6..]));

        // The same two plain SGD steps, each from a gradient computed alone.
        var (reference, _, _) = Problem();
        foreach (var (from, to) in new[] { (0, 6), (6, 12) })
        {
            var grads = autograd.grad([Loss(reference, x[from..to], y[from..to])], [reference.weight, reference.bias!]);
            using (no_grad())
            {
                reference.weight.sub_(grads[0] * 0.5);
                reference.bias!.sub_(grads[1] * 0.5);
            }
        }
        Fixture.Close(Fixture.Data(reference.weight), Fixture.Data(model.weight), 1e-6, 1e-7, "weight");
        Fixture.Close(Fixture.Data(reference.bias!), Fixture.Data(model.bias!), 1e-6, 1e-7, "bias");
    }

    [Fact]
    public void ShortLastGroupIsSteppedAtTheEpochEnd()
    {
        var (model, x, y) = Problem();
        using var before = model.weight.detach().clone();
        var stepper = Stepper(model, new OptimSettings { Lr = 0.5, Accumulate = 4 }, out _);
        stepper.BeginEpoch(0, 5); // groups of 4 and 1
        for (int i = 0; i < 4; i++) stepper.Backward(Loss(model, x[(2 * i)..(2 * i + 2)], y[(2 * i)..(2 * i + 2)]));
        using var afterFirstGroup = model.weight.detach().clone();
        Assert.False(before.allclose(afterFirstGroup));
        stepper.Backward(Loss(model, x[8..10], y[8..10]));
        Assert.False(afterFirstGroup.allclose(model.weight.detach()));
    }

    [Theory]
    [InlineData(0.01, null)]
    [InlineData(null, 0.001)]
    public void ClippingBoundsTheGradient(double? norm, double? value)
    {
        var (model, x, y) = Problem();
        var stepper = Stepper(model, new OptimSettings { Lr = 1.0, ClipGradNorm = norm, ClipGradValue = value }, out _);
        using var before = model.weight.detach().clone();
        stepper.BeginEpoch(0, 1);
        stepper.Backward(Loss(model, x, y) * 100); // large gradients
        // SGD with lr 1: the update is minus the clipped gradient.
        var grads = model.parameters().Select(p => p.grad!).ToList();
        if (norm is double n) Assert.InRange(Math.Sqrt(grads.Sum(g => g.square().sum().item<float>())), n * 0.999, n * 1.001);
        if (value is double v) Assert.All(grads, g => Assert.True(g.abs().max().item<float>() <= v * 1.0001));
        using var update = before - model.weight.detach();
        Assert.True(update.allclose(grads[0], 1e-4, 1e-7));
    }
}
