using Loom.Nn;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Loom.Tests.Unit;

/// <summary>
/// ChannelsLast.Of keeps the values and stores them N, H, W, C; libtorch's convolution then keeps that layout (the
/// point of it: no reorders), and the small CNN built on it computes the function it computed in NCHW.
/// </summary>
public sealed class ChannelsLastTests
{
    static long[] NhwcStrides(long[] shape) => [shape[1] * shape[2] * shape[3], 1, shape[3] * shape[1], shape[1]];

    [Theory]
    [InlineData(2, 3, 5, 4)]
    [InlineData(4, 1, 6, 6)] // one channel: a view with the channel stride set to 1
    [InlineData(1, 16, 2, 3)]
    public void KeepsTheValuesInNhwcOrder(int n, int c, int h, int w)
    {
        using var x = randn(n, c, h, w, generator: new Generator(5));
        using var nhwc = ChannelsLast.Of(x);
        Assert.Equal(x.shape, nhwc.shape);
        Assert.Equal(NhwcStrides(x.shape), nhwc.stride());
        Assert.True(x.eq(nhwc).all().item<bool>());
    }

    [Fact]
    public void RefusesATensorThatIsNotNchw()
    {
        using var x = randn(3, 4, 5);
        var e = Assert.Throws<ArgumentException>(() => ChannelsLast.Of(x));
        Assert.Contains("N×C×H×W", e.Message);
    }

    [Fact]
    public void ConvolutionKeepsTheLayout_WithOneInputChannelToo()
    {
        using var x = randn(2, 1, 8, 8, generator: new Generator(1));
        using var w = randn(16, 1, 3, 3, generator: new Generator(2));
        using var nhwc = ChannelsLast.Of(x);
        using var y = F.conv2d(nhwc, w, padding: [1, 1]);
        Assert.Equal(NhwcStrides(y.shape), y.stride());
        using var reference = F.conv2d(x, w, padding: [1, 1]);
        Assert.True(reference.allclose(y, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void SmallCnnMakesItsLayersInForwardOrder()
    {
        // A seed gives the same initial weights as before the second ReLU moved to the classifier: the first
        // convolution draws first, as a lone Conv2d would right after the seed.
        manual_seed(11);
        using var model = new SmallCnn(1, 28, 28, 10, channels: 8, hidden: 16);
        manual_seed(11);
        using var alone = TorchSharp.torch.nn.Conv2d(1, 8, 3, padding: 1);
        var weight = model.named_parameters().Single(p => p.name == "features.c8_conv.weight").parameter;
        Assert.True(weight.eq(alone.weight!).all().item<bool>());
    }

    [Fact]
    public void SmallCnnComputesTheSameFunctionAsInNchw()
    {
        manual_seed(7);
        using var model = new SmallCnn(1, 28, 28, 10, channels: 8, hidden: 16);
        using var x = randn(4, 1, 28, 28, generator: new Generator(3));
        using var actual = model.forward(x);
        // The same layers applied by hand on NCHW tensors: conv, max-pool, ReLU twice, then the classifier.
        var p = model.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        using var h1 = F.relu(F.max_pool2d(F.conv2d(x, p["features.c8_conv.weight"], p["features.c8_conv.bias"], padding: [1, 1]), 2));
        using var h2 = F.relu(F.max_pool2d(F.conv2d(h1, p["features.c16_conv.weight"], p["features.c16_conv.bias"], padding: [1, 1]), 2));
        using var hidden = F.relu(F.linear(h2.flatten(1), p["classifier.fc1.weight"], p["classifier.fc1.bias"]));
        using var expected = F.linear(hidden, p["classifier.fc2.weight"], p["classifier.fc2.bias"]);
        Assert.True(expected.allclose(actual, rtol: 1e-4, atol: 1e-5), $"max |Δ| {(expected - actual).abs().max().item<float>()}");
        // Gradients come back in the parameters' own (contiguous) layout: optimizers, checkpoints and the
        // data-parallel all-reduce read them as flat buffers.
        actual.sum().backward();
        foreach (var (name, parameter) in model.named_parameters())
            Assert.True(parameter.grad!.is_contiguous(), $"{name}.grad strides {string.Join(",", parameter.grad!.stride())}");
    }
}
