using Loom.Nn;
using Loom.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Optim.Tests;

/// <summary>Weight/spectral norm applied by config to every Linear/Conv layer of the built-in models.</summary>
public class ReparametrizeTests
{
    public ReparametrizeTests() => Loom.TorchVision.TorchVisionModels.Register(); // resnet18, mobilenet_v2

    [Theory]
    [InlineData("cnn")]
    [InlineData("mlp")]
    [InlineData("attention")]
    [InlineData("resnet18")]
    [InlineData("mobilenet_v2")]
    public void WeightNormKeepsTheFunctionAndReplacesEveryLayer(string name)
    {
        var model = ModelFactory.Create(new ModelSettings { Name = name }, 1, 28, 28, 10);
        model.eval();
        int layers = model.named_parameters().Count(p => p.name.EndsWith(".weight") && !IsNormLayer(model, p.name));
        using var x = randn(2, 1, 28, 28);
        using var before = model.forward(x);
        Reparametrize.WeightNorm(model);
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.DoesNotContain(names, n => n.EndsWith(".weight") && !IsNormLayer(model, n));
        Assert.Equal(layers, names.Count(n => n.EndsWith(".weight_g")));
        using var after = model.forward(x);
        Fixture.Close(Fixture.Data(before), Fixture.Data(after), 1e-4, 1e-5, $"{name} output");
    }

    [Fact]
    public void ConfigKeysApplyTheNorms()
    {
        var wn = ModelFactory.Create(new ModelSettings { Name = "mlp", WeightNorm = true }, 1, 28, 28, 10);
        Assert.Equal(3, wn.named_modules().Count(m => m.module is WeightNorm));
        var sn = ModelFactory.Create(new ModelSettings { Name = "cnn", SpectralNorm = true }, 1, 28, 28, 10);
        Assert.Equal(4, sn.named_modules().Count(m => m.module is SpectralNorm));
    }

    // BatchNorm/LayerNorm weights are not reparametrized (as in PyTorch, weight_norm targets Linear/Conv).
    static bool IsNormLayer(nn.Module model, string parameterName) =>
        model.named_modules().First(m => m.name == parameterName[..parameterName.LastIndexOf('.')]).module
            is TorchSharp.Modules.BatchNorm2d or TorchSharp.Modules.LayerNorm;

    [Fact]
    public void SpectralNormBuffersTravelInTheStateDict()
    {
        manual_seed(2);
        var a = ModelFactory.Create(new ModelSettings { Name = "cnn", SpectralNorm = true }, 1, 28, 28, 10);
        a.train();
        using (var x = randn(4, 1, 28, 28)) a.forward(x).Dispose(); // moves u, v away from their initial values
        var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) a.save(w);
        manual_seed(3);
        var b = ModelFactory.Create(new ModelSettings { Name = "cnn", SpectralNorm = true }, 1, 28, 28, 10);
        stream.Position = 0;
        using (var r = new BinaryReader(stream)) b.load(r);
        var bufferNames = a.named_buffers().Select(n => n.name).Where(n => n.EndsWith("weight_u")).ToList();
        Assert.Equal(4, bufferNames.Count); // 2 convs + 2 linears
        var bb = b.named_buffers().ToDictionary(n => n.name, n => n.buffer);
        foreach (var (n, t) in a.named_buffers()) Assert.True(t.allclose(bb[n], 0, 0), n);
    }

    [Fact]
    public void WrappersMoveWithTheModel()
    {
        // `to(dtype)` takes the same path as `to(device)`: the fields the forward reads must follow the registered tensors.
        var model = ModelFactory.Create(new ModelSettings { Name = "cnn", SpectralNorm = true }, 1, 28, 28, 10).to(ScalarType.Float64);
        model.train();
        using var y = model.forward(randn(2, 1, 28, 28, dtype: ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, y.dtype);
        Assert.All(model.named_buffers(), b => Assert.Equal(ScalarType.Float64, b.buffer.dtype));
        var wn = ModelFactory.Create(new ModelSettings { Name = "mlp", WeightNorm = true }, 1, 28, 28, 10).to(ScalarType.Float64);
        using var z = wn.forward(randn(2, 1, 28, 28, dtype: ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, z.dtype);
    }

    [Fact]
    public void RefusesLayersItCannotRewrite()
    {
        Assert.Throws<NotSupportedException>(() => new WeightNorm(nn.Conv2d(1, 2, 3, padding: 1, padding_mode: PaddingModes.Reflect)));
        Assert.Throws<ArgumentException>(() => Reparametrize.WeightNorm(nn.Linear(2, 2)));
    }
}
