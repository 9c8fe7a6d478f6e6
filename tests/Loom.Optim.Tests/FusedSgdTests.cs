using System.Numerics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Optim.Tests;

/// <summary>SGD's one-pass update gives libtorch's values bit for bit, and is what Loom's SGD runs where it can.</summary>
public class FusedSgdTests
{
    [Fact]
    public void TheLoopIsUsedExactlyOnX86CpusWithVectorsAndFma()
    {
        // libtorch's AVX2/AVX-512 kernels compute add-with-alpha (and addcmul) as an FMA, as the loops do: on such a CPU
        // the check against libtorch must pass, else Loom would silently keep the slower step there.
        Assert.Equal(Vector.IsHardwareAccelerated && Fma.IsSupported, FusedSgdUpdate.IsUsable);
    }

    public static TheoryData<double, double, double, bool, bool> Settings => new()
    {
        // weight decay, momentum, dampening, Nesterov, maximize
        { 0, 0, 0, false, false },
        { 1e-3, 0, 0, false, false },      // the reference task's default
        { 1e-4, 0.9, 0, false, false },
        { 5e-4, 0.9, 0.1, false, false },
        { 1e-2, 0.8, 0, true, false },
        { 1e-3, 0.5, 0, false, true },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void TrainingWithTheOnePassStepIsBitIdenticalToTheOperations(double weightDecay, double momentum, double dampening, bool nesterov, bool maximize)
    {
        var (fusedModel, fused) = Train(weightDecay, momentum, dampening, nesterov, maximize, fusedStep: true);
        var (plainModel, plain) = Train(weightDecay, momentum, dampening, nesterov, maximize, fusedStep: false);
        Assert.Equal(FusedSgdUpdate.IsUsable ? fusedModel.parameters().Count() : 0, fused.FusedTensors); // every tensor through the loop
        Assert.Equal(0, plain.FusedTensors);
        foreach (var (a, b) in fusedModel.parameters().Zip(plainModel.parameters()))
            Assert.Equal(Fixture.Bits(b), Fixture.Bits(a));
        var fusedState = fused.state_dict().State.Cast<SGD.State>().Select(s => s.momentum_buffer);
        var plainState = plain.state_dict().State.Cast<SGD.State>().Select(s => s.momentum_buffer);
        foreach (var (a, b) in fusedState.Zip(plainState))
        {
            Assert.Equal(a is null, b is null);
            if (a is not null) Assert.Equal(Fixture.Bits(b!), Fixture.Bits(a));
        }
    }

    [Fact]
    public void ANonContiguousParameterTakesTheOperationsAndGetsTheSameValues()
    {
        manual_seed(3);
        var start = randn(7, 5);
        var results = new List<int[]>();
        foreach (bool fusedStep in new[] { true, false })
        {
            var weight = new Parameter(start.clone().t()); // 5×7 view, not contiguous
            var bias = new Parameter(zeros(5));
            var sgd = new Sgd([weight, bias], 0.1, momentum: 0.9, weightDecay: 1e-3, fused: fusedStep);
            Fixture.FitQuadratic(weight, bias, sgd, randn(9, 7, generator: new Generator(1)));
            Assert.False(weight.is_contiguous());
            Assert.Equal(fusedStep && FusedSgdUpdate.IsUsable ? 1 : 0, sgd.FusedTensors); // the bias only
            results.Add(Fixture.Bits(weight.contiguous()));
        }
        Assert.Equal(results[1], results[0]);
    }

    [Fact]
    public void ElementsOfAContiguousViewAreTheViewsOwn()
    {
        var whole = arange(10, dtype: ScalarType.Float32);
        var view = whole[3..];
        Assert.Equal([3f, 4, 5, 6, 7, 8, 9], FloatTensors.Elements(view).ToArray());
    }

    static (Sequential Model, Sgd Optimizer) Train(double weightDecay, double momentum, double dampening, bool nesterov, bool maximize, bool fusedStep) =>
        Fixture.TrainOddNetwork(parameters =>
        {
            var sgd = new Sgd(parameters, 0.05, momentum, dampening, weightDecay, nesterov, fused: fusedStep);
            if (maximize) foreach (var group in sgd.ParamGroups.Cast<SGD.ParamGroup>()) group.Options.maximize = true;
            return sgd;
        }, steps: 4, seed: 11, dataSeed: 7);
}
