using System.Numerics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Optim.Tests;

/// <summary>Adam's and AdamW's one-pass update gives TorchSharp's values bit for bit, and is what Loom's Adam and AdamW run where they can.</summary>
public class FusedAdamTests
{
    [Fact]
    public void TheLoopIsUsedExactlyOnX86CpusWithVectorsAndFma()
    {
        // libtorch's AVX2/AVX-512 kernels compute add-with-alpha (and addcmul) as an FMA, as the loops do: on such a CPU
        // the check against libtorch must pass, else Loom would silently keep the slower step there.
        Assert.Equal(Vector.IsHardwareAccelerated && Fma.IsSupported, FusedAdamUpdate.IsUsable);
    }

    public static TheoryData<bool, double, bool> Settings => new()
    {
        // AdamW, weight decay, maximize
        { false, 0, false },
        { false, 1e-2, false },
        { false, 1e-3, true },
        { true, 1e-2, false },
        { true, 0, false },
        { true, 5e-2, true },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void TrainingWithTheOnePassStepIsBitIdenticalToTorchSharps(bool decoupled, double weightDecay, bool maximize)
    {
        var (fusedModel, fused, fusedCount) = Train(decoupled, weightDecay, maximize, fusedStep: true);
        var (plainModel, plain, plainCount) = Train(decoupled, weightDecay, maximize, fusedStep: false);
        Assert.Equal(FusedAdamUpdate.IsUsable ? fusedModel.parameters().Count() : 0, fusedCount); // every tensor through the loops
        Assert.Equal(0, plainCount);
        foreach (var (a, b) in fusedModel.parameters().Zip(plainModel.parameters()))
            Assert.Equal(Fixture.Bits(b), Fixture.Bits(a));
        foreach (var (a, b) in Moments(fused).Zip(Moments(plain)))
            Assert.Equal(Fixture.Bits(b), Fixture.Bits(a));
    }

    [Fact]
    public void AmsgradTakesTorchSharpsStep()
    {
        var parameter = new Parameter(randn(8));
        var adam = new Adam([parameter], amsgrad: true);
        parameter.grad = randn(8);
        adam.step();
        Assert.Equal(0, adam.FusedTensors);
    }

    [Fact]
    public void OneNonContiguousParameterSendsTheWholeStepThroughTorchSharp()
    {
        manual_seed(4);
        var start = randn(6, 4);
        var results = new List<int[]>();
        foreach (bool fusedStep in new[] { true, false })
        {
            var weight = new Parameter(start.clone().t()); // 4×6 view, not contiguous
            var bias = new Parameter(zeros(4));
            var adam = new AdamW([weight, bias], 1e-2, fused: fusedStep);
            Fixture.FitQuadratic(weight, bias, adam, randn(5, 6, generator: new Generator(2)), () => Assert.Equal(0, adam.FusedTensors));
            results.Add(Fixture.Bits(bias));
        }
        Assert.Equal(results[1], results[0]);
    }

    static (Sequential Model, OptimizerHelper Optimizer, int FusedTensors) Train(bool decoupled, double weightDecay, bool maximize, bool fusedStep)
    {
        var (model, optimizer) = Fixture.TrainOddNetwork<OptimizerHelper>(parameters => decoupled
            ? new AdamW(parameters, 3e-3, weightDecay: weightDecay, maximize: maximize, fused: fusedStep)
            : new Adam(parameters, 3e-3, weightDecay: weightDecay, maximize: maximize, fused: fusedStep), steps: 5, seed: 12, dataSeed: 8);
        int fused = optimizer is Adam adam ? adam.FusedTensors : ((AdamW)optimizer).FusedTensors;
        return (model, optimizer, fused);
    }

    static IEnumerable<Tensor> Moments(OptimizerHelper optimizer) => optimizer.state_dict().State.SelectMany(s => s switch
    {
        TorchSharp.Modules.Adam.State a => new[] { a.exp_avg, a.exp_avg_sq },
        TorchSharp.Modules.AdamW.State w => new[] { w.exp_avg, w.exp_avg_sq },
        _ => throw new InvalidOperationException(s.GetType().Name),
    });
}
