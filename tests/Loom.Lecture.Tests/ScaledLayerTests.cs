using Loom.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Lecture.Tests;

/// <summary>The λ reparametrization (`model.reparam_lambda`) in process: same function at init, gradient scaled by λ.</summary>
public sealed class ScaledLayerTests
{
    [Theory]
    [InlineData(0.01)]
    [InlineData(10.0)]
    public void ComputesTheSameFunctionAtInitAndItsGradientIsLambdaTimesTheWeights(double lambda)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var plain = ModelFactory.Create(new ModelSettings { Name = "cnn", Channels = 4, Hidden = 8 }, 1, 28, 28, 10);
        manual_seed(1);
        var scaled = ModelFactory.Create(new ModelSettings { Name = "cnn", Channels = 4, Hidden = 8, ReparamLambda = lambda }, 1, 28, 28, 10);
        var x = randn(3, 1, 28, 28);

        var outPlain = plain.forward(x);
        var outScaled = scaled.forward(x);
        Assert.True(outPlain.allclose(outScaled, rtol: 1e-5, atol: 1e-6), "the reparametrized model must compute the same function at init");

        outPlain.sum().backward();
        outScaled.sum().backward();
        var layers = scaled.modules().OfType<ScaledLayer>().ToList();
        Assert.Equal(4, layers.Count); // two convolutions, the hidden layer and the classifier: every Linear/Conv layer
        // Every stored parameter is y = w / λ and its gradient λ·∂F/∂w: compare by sorted gradient norms.
        var gradPlain = plain.parameters().Select(p => p.grad!.norm().ToDouble()).Order().ToList();
        var gradScaled = scaled.parameters().Select(p => p.grad!.norm().ToDouble() / lambda).Order().ToList();
        Assert.Equal(gradPlain.Count, gradScaled.Count);
        for (int i = 0; i < gradPlain.Count; i++) Assert.Equal(gradPlain[i], gradScaled[i], gradPlain[i] * 1e-4);
    }

    [Fact]
    public void LambdaOneLeavesTheModelAsItWas()
    {
        var model = ModelFactory.Create(new ModelSettings { Name = "mlp", Hidden = 8 }, 1, 28, 28, 10);
        Assert.Empty(model.modules().OfType<ScaledLayer>());
    }
}
